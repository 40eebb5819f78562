#!/usr/bin/env bash
# The pod sandbox's pause binary, compiled from Kubernetes' own source
# (build/pause/linux/pause.c in the k8s.io/kubernetes module) as a static
# binary, into the cache once per version; prints it.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

bin="$CACHE_DIR/pause-$KUBERNETES_VERSION/pause"
if [[ -x $bin ]]; then echo "$bin"; exit 0; fi
need_cmd gcc "apt-get install gcc libc6-dev (the pause binary is compiled from Kubernetes' C source)"
src=$(go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')/build/pause/linux/pause.c
[[ -f $src ]] || die "no build/pause/linux/pause.c in k8s.io/kubernetes@$KUBERNETES_VERSION"
mkdir -p "$(dirname "$bin")"
gcc -Os -Wall -Werror -static -DVERSION="$KUBERNETES_VERSION-otel-shop" -o "$bin.tmp" "$src" >&2
strip "$bin.tmp"
mv "$bin.tmp" "$bin"
echo "$bin"
