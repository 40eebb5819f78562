#!/usr/bin/env bash
# Builds Sloth (github.com/slok/sloth, the SLO rule generator the ecosystem
# uses) from the Go module proxy into the cache, once per version, and prints
# the binary's path. Our own generator (cdk8s/src/slo/) is checked against
# what `sloth generate` makes of the same objectives.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
dir=$(bash "$ROOT/scripts/tools/go-module-build.sh" sloth github.com/slok/sloth "$SLOTH_VERSION" github.com/slok/sloth/cmd/sloth)
echo "$dir/sloth"
