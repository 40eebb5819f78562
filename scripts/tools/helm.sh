#!/usr/bin/env bash
# Builds Helm from the Go module proxy into the cache, once per version, and
# prints the binary's path (instant when cached). Neither helm.sh/helm/v4 nor
# v3 has replace directives, so `go install pkg@version` works as is; the
# ldflags stamp what Helm's own Makefile stamps: the version, and for Helm 3
# the Kubernetes version `helm lint` and .Capabilities assume (the client-go
# it is built with; Helm 4 reads that from its build info itself).
#
#   bash scripts/tools/helm.sh          Helm 4 (HELM_VERSION): build if needed, print the binary
#   bash scripts/tools/helm.sh --helm3  the same for Helm 3 (HELM3_VERSION), which must still lint and render the chart
#   ... --dir                           print its directory instead (for PATH)
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

version=$HELM_VERSION
if [[ ${1:-} == --helm3 ]]; then version=$HELM3_VERSION; shift; fi
major=${version%%.*}
module=helm.sh/helm/$major

dir="$CACHE_DIR/helm-$version"
bin="$dir/helm"
print() { if [[ ${1:-} == --dir ]]; then echo "$dir"; else echo "$bin"; fi; }
if [[ -x $bin ]]; then print "${1:-}"; exit 0; fi
need_cmd go "install Go 1.26+ (apt-get install golang, or from go.dev), or put Helm $version on PATH"

info "building Helm $version from the Go module proxy (a minute or two the first time)"
ldflags="-s -w -X $module/internal/version.version=$version -X $module/internal/version.metadata="
if [[ $major == v3 ]]; then
  gomod=$(go mod download -json "$module@$version" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
  [[ -f $gomod ]] || die "could not download $module@$version from the Go module proxy"
  kminor=$(sed -n 's/^[[:space:]]*k8s\.io\/client-go v0\.\([0-9]*\)\..*/\1/p' "$gomod" | head -n1)
  [[ -n $kminor ]] || die "could not read the client-go version from $gomod"
  ldflags+=" -X $module/pkg/lint/rules.k8sVersionMajor=1 -X $module/pkg/lint/rules.k8sVersionMinor=$kminor"
  ldflags+=" -X $module/pkg/chartutil.k8sVersionMajor=1 -X $module/pkg/chartutil.k8sVersionMinor=$kminor"
fi

mkdir -p "$dir"
tmp=$(mktemp -d "$dir/.build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
CGO_ENABLED=0 GOBIN="$tmp" go install -trimpath -ldflags "$ldflags" "$module/cmd/helm@$version" >&2
"$tmp/helm" version --short >/dev/null || die "the Helm build at $tmp/helm does not run"
mv "$tmp/helm" "$bin"
print "${1:-}"
