#!/usr/bin/env bash
# Builds Jaeger v2 from the Go module proxy into the cache, once per version,
# and prints the binary's path (the module carries a `replace`, so through a
# tool module: scripts/tools/go-module-build.sh).
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
dir=$(bash "$ROOT/scripts/tools/go-module-build.sh" jaeger github.com/jaegertracing/jaeger "$JAEGER_MODULE_VERSION" github.com/jaegertracing/jaeger/cmd/jaeger)
echo "$dir/jaeger"
