#!/usr/bin/env bash
# Builds Jaeger v2 from the Go module proxy into the cache, once per version.
# Prints the binary's path. `go install pkg@ver` refuses the module because
# its go.mod carries a `replace` (sarama), so we build from a throwaway
# module that copies the upstream replace directives.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

bin="$CACHE_DIR/jaeger-$JAEGER_MODULE_VERSION/jaeger"
if [[ -x $bin ]]; then echo "$bin"; exit 0; fi
need_cmd go "install Go 1.24+ (apt-get install golang, or from go.dev)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
info "building Jaeger $JAEGER_MODULE_VERSION from the Go module proxy (slow the first time: 10-30 min on 2 cores)"
cd "$work"
go mod init local/jaeger-build >/dev/null 2>&1
upstream_mod=$(go mod download -json "github.com/jaegertracing/jaeger@$JAEGER_MODULE_VERSION" \
  | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
[[ -f $upstream_mod ]] || die "could not download github.com/jaegertracing/jaeger@$JAEGER_MODULE_VERSION from the Go module proxy"
grep -E '^replace ' "$upstream_mod" >> go.mod || true
go get "github.com/jaegertracing/jaeger/cmd/jaeger@$JAEGER_MODULE_VERSION" >&2
mkdir -p "$(dirname "$bin")"
CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$bin.tmp" github.com/jaegertracing/jaeger/cmd/jaeger >&2
mv "$bin.tmp" "$bin"
echo "$bin"
