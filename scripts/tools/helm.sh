#!/usr/bin/env bash
# Builds Helm from the Go module proxy into the cache, once per version, and
# prints the binary's path (instant when cached). helm.sh/helm/v3 has no
# replace directives, so `go install pkg@version` works as is; the ldflags
# stamp what Helm's own Makefile stamps (version, and the Kubernetes version
# that `helm lint` and .Capabilities assume: the client-go it is built with).
#
#   bash scripts/tools/helm.sh          build if needed, print the binary
#   bash scripts/tools/helm.sh --dir    the same, but print its directory (for PATH)
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

dir="$CACHE_DIR/helm-$HELM_VERSION"
bin="$dir/helm"
print() { if [[ ${1:-} == --dir ]]; then echo "$dir"; else echo "$bin"; fi; }
if [[ -x $bin ]]; then print "${1:-}"; exit 0; fi
need_cmd go "install Go 1.24+ (apt-get install golang, or from go.dev), or put a Helm 3 on PATH"

info "building Helm $HELM_VERSION from the Go module proxy (a few minutes the first time)"
gomod=$(go mod download -json "helm.sh/helm/v3@$HELM_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
[[ -f $gomod ]] || die "could not download helm.sh/helm/v3@$HELM_VERSION from the Go module proxy"
kminor=$(sed -n 's/^[[:space:]]*k8s\.io\/client-go v0\.\([0-9]*\)\..*/\1/p' "$gomod" | head -n1)
[[ -n $kminor ]] || die "could not read the client-go version from $gomod"
ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
ldflags+=" -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$kminor"
ldflags+=" -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$kminor"

mkdir -p "$dir"
tmp=$(mktemp -d "$dir/.build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
CGO_ENABLED=0 GOBIN="$tmp" go install -trimpath -ldflags "$ldflags" "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" >&2
"$tmp/helm" version --short >/dev/null || die "the Helm build at $tmp/helm does not run"
mv "$tmp/helm" "$bin"
print "${1:-}"
