#!/usr/bin/env bash
# Builds kube-apiserver (for the real API server tier of the tests) from the
# Go module proxy into the cache, once per version; prints the binary.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
dir=$(bash "$ROOT/scripts/tools/kubernetes.sh" kube-apiserver kube-apiserver)
echo "$dir/kube-apiserver"
