#!/usr/bin/env bash
# Builds Alertmanager and amtool from the Go module proxy into the cache, once
# per version (the release of the chart's prom/alertmanager image), and prints
# their directory. `make test` checks the chart's Alertmanager configuration
# with `amtool check-config`; the cluster tier builds its Alertmanager image
# from the same binary (scripts/cluster/stand-ins.sh).
#
# The module does not carry the web UI's built assets (ui/app/dist, made by
# npm in Alertmanager's release build), which the ui package embeds: the
# server is built from the module's source with a placeholder page there.
# The HTTP API (v2), routing and receivers are the release's.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

module=github.com/prometheus/alertmanager
dir="$CACHE_DIR/alertmanager-$ALERTMANAGER_VERSION"
bash "$ROOT/scripts/tools/go-module-build.sh" alertmanager "$module" "$ALERTMANAGER_VERSION" "$module/cmd/amtool" >/dev/null
if [[ -x $dir/alertmanager ]]; then echo "$dir"; exit 0; fi
need_cmd go "install Go 1.24+ (apt-get install golang, or from go.dev)"

info "building alertmanager ($module $ALERTMANAGER_VERSION) from the Go module proxy"
src=$(go mod download -json "$module@$ALERTMANAGER_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[[ -d $src ]] || die "could not download $module@$ALERTMANAGER_VERSION from the Go module proxy"
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
cp -r "$src" "$work/src"
chmod -R u+w "$work/src"
for ui in elm mantine; do
  mkdir -p "$work/src/ui/app/dist/$ui"
  printf '<!doctype html><title>Alertmanager</title><p>Alertmanager %s built from the Go module proxy without its web UI: use the API (/api/v2/).</p>\n' "$ALERTMANAGER_VERSION" > "$work/src/ui/app/dist/$ui/index.html"
done
version=${ALERTMANAGER_VERSION#v}
ldflags="-s -w -X github.com/prometheus/common/version.Version=$version -X github.com/prometheus/common/version.Branch=release -X github.com/prometheus/common/version.BuildUser=otel-shop"
(cd "$work/src" && CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$work/alertmanager" ./cmd/alertmanager) >&2
"$work/alertmanager" --version >/dev/null 2>&1 || die "the alertmanager build does not run"
mv "$work/alertmanager" "$dir/"
echo "$dir"
