# Shared by every script under scripts/: versions, paths, small helpers.
# Sourced, never run.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export ROOT

# Pinned versions of everything built or downloaded outside npm.
NODE_MAJOR=24
KAFKA_VERSION=4.3.1
KAFKA_SCALA=2.13
JAEGER_MODULE_VERSION=v1.76.0   # Jaeger 2.13 (module tag is v1.x, binary is v2)
FLAGD_VERSION=v0.16.0          # github.com/open-feature/flagd/flagd: the fault flags of make local (v0.16.1 the proxy does not serve)
FLAGD_CORE_VERSION=v0.16.0     # its core library, tagged on the same commit (scripts/tools/flagd.sh)
HELM_VERSION=v4.3.2            # the Helm of make dev and the cluster tier
HELM3_VERSION=v3.21.4          # the last approved Helm 3 release: it still lints and renders the chart
# For shopctl's tests against a real API server (no cluster needed).
KUBERNETES_VERSION=v1.37.2
ETCD_VERSION=v3.7.3
# The real node of `make test-cluster` (scripts/cluster/): built once each.
CONTAINERD_VERSION=v2.4.2
CRICTL_VERSION=v1.37.0
COREDNS_VERSION=v1.15.0
KUBE_ROUTER_VERSION=v2.1.0       # its firewall enforces the NetworkPolicies (iptables + ipset)
PROMETHEUS_MODULE_VERSION=v0.316.0   # Prometheus 3.16.0 (module tags are v0.3MM.P); promtool (make test) too
ALERTMANAGER_VERSION=v0.35.0     # the chart's prom/alertmanager image, its stand-in built from the module
# The collector of the real node: the chart image's release, but the
# kafkametrics receiver, whose 0.159.0 the proxy does not serve.
COLLECTOR_VERSION=0.159.0
KAFKA_METRICS_RECEIVER_VERSION=0.156.0
POSTGRES_BINARIES_VERSION=18.6.0  # io.zonky.test.postgres binaries, the chart's postgres:18.6
# Third-party files the tests read, fetched from registries (scripts/tools/).
STRIMZI_VERSION=1.2.0          # CRDs from Maven Central's io.strimzi:api
SKAFFOLD_VERSION=v2.24.0       # the module that ships the config schema; the cluster tier runs its skaffold
DISTRIBUTION_VERSION=v3.1.2    # CNCF distribution: the cluster tier's registry, which skaffold pushes to
SKAFFOLD_SCHEMA=v4beta14       # the apiVersion skaffold.yaml is written in
SLOTH_VERSION=v0.16.0          # the SLO generator our rules are checked against (cdk8s/src/slo/)
PROMETHEUS_OPERATOR_VERSION=v0.85.0  # the PrometheusRule CRD (slo.prometheusRule), from the operator's module

# Tools are built once per version and cached outside the repo, so a
# clean clone on the same machine reuses them.
CACHE_DIR=${SHOP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/otel-shop}
# Runtime state of `make infra-up` / `make local`: data, logs, pids.
STATE_DIR=${SHOP_STATE_DIR:-$ROOT/.local}
export CACHE_DIR STATE_DIR

say()  { printf '%s\n' "$*"; }
info() { printf '\033[36m==>\033[0m %s\n' "$*" >&2; }
die()  { printf 'error: %s\n' "$*" >&2; exit 1; }

need_cmd() { # need_cmd <cmd> <how to get it>
  command -v "$1" >/dev/null 2>&1 || die "$1 is required but not installed: $2"
}

# wait_for <seconds> <description> <command...>: poll until the command succeeds.
wait_for() {
  local deadline=$((SECONDS + $1)) what=$2; shift 2
  until "$@" >/dev/null 2>&1; do
    (( SECONDS < deadline )) || return 1
    sleep 0.5
  done
}

# java_at_least <major>: prints a java binary of that major or newer, from
# PATH, JAVA_HOME or /usr/lib/jvm (a machine often has several JDKs).
java_at_least() {
  local want=$1 candidate major
  for candidate in "$(command -v java 2>/dev/null)" "${JAVA_HOME:+$JAVA_HOME/bin/java}" /usr/lib/jvm/*/bin/java; do
    [[ -n $candidate && -x $candidate ]] || continue
    major=$("$candidate" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')
    if [[ -n $major ]] && (( major >= want )); then echo "$candidate"; return 0; fi
  done
  return 1
}

port_open() { # port_open <port>
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Closes descriptors inherited from the caller (the lock of a `flock` around
# us, say): servers started from here outlive us and would hold them for ever.
# 255 is bash's own handle on the running script.
close_inherited_fds() {
  local fd
  for fd in /proc/$$/fd/*; do
    fd=${fd##*/}
    if (( fd > 2 && fd < 255 )); then eval "exec $fd>&-" 2>/dev/null || true; fi
  done
}
