#!/usr/bin/env bash
# Fetches the Prometheus Operator's PrometheusRule CRD (monitoring.coreos.com)
# that the tests validate the chart's optional PrometheusRule against
# (slo.prometheusRule), into the cache, once per version, and prints its
# directory. It comes from the operator's Go module on the module proxy,
# which ships the generated CRDs it releases (example/prometheus-operator-crd/).
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

dir="$CACHE_DIR/prometheus-operator-crds-$PROMETHEUS_OPERATOR_VERSION"
if [[ -f $dir/.complete ]]; then echo "$dir"; exit 0; fi
need_cmd go "install Go 1.24+ (apt-get install golang, or from go.dev)"
module=github.com/prometheus-operator/prometheus-operator
info "fetching the PrometheusRule CRD ($module $PROMETHEUS_OPERATOR_VERSION) from the Go module proxy"
src=$(cd /tmp && go mod download -json "$module@$PROMETHEUS_OPERATOR_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
crd=$src/example/prometheus-operator-crd/monitoring.coreos.com_prometheusrules.yaml
[[ -f $crd ]] || die "no PrometheusRule CRD in $module@$PROMETHEUS_OPERATOR_VERSION"
mkdir -p "$dir"
cp "$crd" "$dir/"
chmod u+w "$dir"/*.yaml
touch "$dir/.complete"
echo "$dir"
