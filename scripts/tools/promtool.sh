#!/usr/bin/env bash
# Builds promtool from the Prometheus module the cluster tier builds
# Prometheus from (PROMETHEUS_MODULE_VERSION), into the same cache directory,
# once, and prints the binary's path. `make test` runs it over the generated
# rules (`promtool check rules`) and their unit tests (`promtool test rules`).
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
dir=$(bash "$ROOT/scripts/tools/go-module-build.sh" prometheus github.com/prometheus/prometheus "$PROMETHEUS_MODULE_VERSION" github.com/prometheus/prometheus/cmd/promtool)
echo "$dir/promtool"
