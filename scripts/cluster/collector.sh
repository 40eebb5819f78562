#!/usr/bin/env bash
# The OpenTelemetry Collector for the real node, built with the collector's
# own builder (ocb) from exactly the components our collector config uses,
# into the cache once per version; prints the binary. The chart's image is
# otelcol-contrib 0.159.0, and so is this build, but for the kafkametrics
# receiver, whose 0.159.0 the Go module proxy does not serve (its 0.161.0 it
# does; the builder's module resolution then settles the shared modules).
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

bin="$CACHE_DIR/otelcol-contrib-$COLLECTOR_VERSION/otelcol-contrib"
if [[ -x $bin ]]; then echo "$bin"; exit 0; fi
need_cmd go "install Go 1.24+ (apt-get install golang, or from go.dev)"
v=v$COLLECTOR_VERSION
core=go.opentelemetry.io/collector
contrib=github.com/open-telemetry/opentelemetry-collector-contrib
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
info "building otelcol-contrib $COLLECTOR_VERSION with the collector builder (about 10 minutes the first time)"
GOBIN="$work" go install "$core/cmd/builder@$v" >&2
cat > "$work/manifest.yaml" <<YAML
dist:
  name: otelcol-contrib
  description: otel-shop's collector for the real node tier (the contrib components of its config)
  version: $COLLECTOR_VERSION
  output_path: $work/out
receivers:
  - gomod: $core/receiver/otlpreceiver $v
  - gomod: $contrib/receiver/kafkametricsreceiver v$KAFKA_METRICS_RECEIVER_VERSION
processors:
  - gomod: $core/processor/batchprocessor $v
  - gomod: $core/processor/memorylimiterprocessor $v
  - gomod: $contrib/processor/k8sattributesprocessor $v
connectors:
  - gomod: $contrib/connector/spanmetricsconnector $v
exporters:
  - gomod: $core/exporter/otlpexporter $v
  - gomod: $core/exporter/nopexporter $v
  - gomod: $contrib/exporter/prometheusexporter $v
extensions:
  - gomod: $contrib/extension/healthcheckextension $v
YAML
CGO_ENABLED=0 "$work/builder" --config "$work/manifest.yaml" >&2
mkdir -p "$(dirname "$bin")"
mv "$work/out/otelcol-contrib" "$bin"
echo "$bin"
