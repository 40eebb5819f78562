#!/usr/bin/env bash
# Builds kube-apiserver from the Go module proxy into the cache, once per
# version; prints the binary. k8s.io/kubernetes points its k8s.io/* modules
# at ./staging with `replace` directives, which `go install` refuses; a tool
# module maps each of them to the published v0.x module of the same release.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

bin="$CACHE_DIR/kube-apiserver-$KUBERNETES_VERSION/kube-apiserver"
if [[ -x $bin ]]; then echo "$bin"; exit 0; fi
need_cmd go "install Go 1.24+ (apt-get install golang, or from go.dev)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
info "building kube-apiserver $KUBERNETES_VERSION from the Go module proxy (slow the first time: 15-30 min on 2 cores)"
cd "$work"
go mod init local/kube-apiserver-build >/dev/null 2>&1
upstream_mod=$(go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
[[ -f $upstream_mod ]] || die "could not download k8s.io/kubernetes@$KUBERNETES_VERSION from the Go module proxy"
staging_version="v0.${KUBERNETES_VERSION#v1.}"
# `replace k8s.io/api => ./staging/src/k8s.io/api` becomes `=> k8s.io/api v0.N.M`.
sed -n 's#^[[:space:]]*\(k8s\.io/[a-z0-9-]*\) => \./staging/src/.*$#\1#p' "$upstream_mod" | while read -r module; do
  echo "replace $module => $module $staging_version" >> go.mod
done
grep -c '^replace' go.mod >&2
go get "k8s.io/kubernetes/cmd/kube-apiserver@$KUBERNETES_VERSION" >&2
mkdir -p "$(dirname "$bin")"
CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$bin.tmp" k8s.io/kubernetes/cmd/kube-apiserver >&2
mv "$bin.tmp" "$bin"
echo "$bin"
