#!/usr/bin/env bash
# Builds Alertmanager and amtool from the Go module proxy into the cache, once
# per version (the release of the chart's prom/alertmanager image), and prints
# their directory. `make test` checks the chart's Alertmanager configuration
# with `amtool check-config`; the cluster tier builds its Alertmanager image
# from the same binary (scripts/cluster/stand-ins.sh).
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
bash "$ROOT/scripts/tools/go-module-build.sh" alertmanager github.com/prometheus/alertmanager "$ALERTMANAGER_VERSION" \
  github.com/prometheus/alertmanager/cmd/alertmanager github.com/prometheus/alertmanager/cmd/amtool
