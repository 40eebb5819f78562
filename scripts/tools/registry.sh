#!/usr/bin/env bash
# Builds the CNCF distribution registry (DISTRIBUTION_VERSION) from the Go
# module proxy into the cache, once, and prints the binary's path. The
# cluster tier's node pulls what skaffold pushes from it, where kind would
# take `kind load`ed images.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

module=github.com/distribution/distribution/v3
dir=$(bash "$ROOT/scripts/tools/go-module-build.sh" registry "$module" "$DISTRIBUTION_VERSION" "$module/cmd/registry")
echo "$dir/registry"
