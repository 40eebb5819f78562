#!/usr/bin/env bash
# Builds skaffold (SKAFFOLD_VERSION, the release skaffold.yaml's schema comes
# from) from the Go module proxy into the cache, once, and prints the
# binary's path. The cluster tier runs it as a user runs skaffold. The
# ldflags stamp the version as skaffold's own Makefile does.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

module=github.com/GoogleContainerTools/skaffold/v2
dir=$(GO_LDFLAGS="-X $module/pkg/skaffold/version.version=$SKAFFOLD_VERSION" \
  bash "$ROOT/scripts/tools/go-module-build.sh" skaffold "$module" "$SKAFFOLD_VERSION" "$module/cmd/skaffold")
echo "$dir/skaffold"
