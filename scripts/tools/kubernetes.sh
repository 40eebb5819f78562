#!/usr/bin/env bash
# Builds Kubernetes commands (kube-apiserver, kubelet, kube-proxy, ...) from
# the Go module proxy into the cache, once per version, in one `go build`
# (they share most packages). Prints the directory that holds them.
# k8s.io/kubernetes points its k8s.io/* modules at ./staging with `replace`
# directives, which `go install` refuses; a tool module maps each of them to
# the published v0.x module of the same release.
#
#   bash scripts/tools/kubernetes.sh NAME CMD...   e.g. kubernetes.sh kube-node kubelet kube-proxy
#     builds k8s.io/kubernetes/cmd/CMD for each CMD into $CACHE_DIR/NAME-$KUBERNETES_VERSION/
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

name=${1:?usage: kubernetes.sh NAME CMD...}; shift
(( $# )) || die "usage: kubernetes.sh NAME CMD..."
dir="$CACHE_DIR/$name-$KUBERNETES_VERSION"
missing=()
# A build without the version stamped reports v0.0.0, which Helm's kubeVersion checks refuse.
version_of() { if [[ $1 == kubectl ]]; then "$dir/$1" version --client 2>/dev/null; else "$dir/$1" --version 2>/dev/null; fi; }
# Read whole (not piped to grep -q, which would stop reading after the first
# line and, under pipefail, turn kubectl's second line into a failure).
for cmd in "$@"; do
  [[ -x $dir/$cmd && $(version_of "$cmd") == *"$KUBERNETES_VERSION"* ]] || missing+=("$cmd")
done
if (( ${#missing[@]} == 0 )); then echo "$dir"; exit 0; fi
need_cmd go "install Go 1.24+ (apt-get install golang, or from go.dev)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
info "building ${missing[*]} $KUBERNETES_VERSION from the Go module proxy (slow the first time: about 10 min per command on 2 cores, less together)"
cd "$work"
go mod init local/kubernetes-build >/dev/null 2>&1
upstream_mod=$(go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
[[ -f $upstream_mod ]] || die "could not download k8s.io/kubernetes@$KUBERNETES_VERSION from the Go module proxy"
staging_version="v0.${KUBERNETES_VERSION#v1.}"
# `replace k8s.io/api => ./staging/src/k8s.io/api` becomes `=> k8s.io/api v0.N.M`.
sed -n 's#^[[:space:]]*\(k8s\.io/[a-z0-9-]*\) => \./staging/src/.*$#\1#p' "$upstream_mod" | while read -r module; do
  echo "replace $module => $module $staging_version" >> go.mod
done
packages=()
for cmd in "${missing[@]}"; do packages+=("k8s.io/kubernetes/cmd/$cmd"); done
go get "${packages[@]/%/@$KUBERNETES_VERSION}" >&2
mkdir -p "$dir"
# What Kubernetes' own build stamps (hack/lib/version.sh): the release the binaries report.
minor=${KUBERNETES_VERSION#v1.}; minor=${minor%%.*}
ldflags="-s -w"
for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
  ldflags+=" -X $pkg.gitVersion=$KUBERNETES_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
done
CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$work/bin/" "${packages[@]}" >&2
for cmd in "${missing[@]}"; do mv "$work/bin/$cmd" "$dir/$cmd"; done
echo "$dir"
