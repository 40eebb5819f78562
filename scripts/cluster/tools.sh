#!/usr/bin/env bash
# `make cluster-tools`: everything the real node of `make test-cluster` runs,
# built from the registries into the cache, once per version (about an hour on
# 2 cores the first time; instant after). Prints each tool and its time.
#
#   bash scripts/cluster/tools.sh           build what is missing
#   bash scripts/cluster/tools.sh --check   exit 0 when everything is cached and the host has what the
#                                           node needs, else name what is not, in one line with its fix
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

# What the node runs from the host (kube-router's ipset and iptables, the
# namespaces' util-linux and iproute2, the PKI's openssl, the builds' gcc and
# static libc), as command:Debian package.
host_needs=(iptables:iptables ipset:ipset ip:iproute2 unshare:util-linux nsenter:util-linux openssl:openssl gcc:gcc)
host_missing() { # the Debian packages to install, one per line
  local need
  for need in "${host_needs[@]}"; do command -v "${need%%:*}" >/dev/null 2>&1 || echo "${need#*:}"; done
  [[ -f /usr/lib/x86_64-linux-gnu/libc.a ]] || echo libc6-dev
}

cached=(
  "etcd-$ETCD_VERSION/etcd" "kube-apiserver-$KUBERNETES_VERSION/kube-apiserver"
  "kube-node-$KUBERNETES_VERSION/kubelet" "kube-node-$KUBERNETES_VERSION/kube-proxy"
  "kube-node-$KUBERNETES_VERSION/kube-controller-manager" "kube-node-$KUBERNETES_VERSION/kube-scheduler"
  "containerd-$CONTAINERD_VERSION/containerd" "containerd-$CONTAINERD_VERSION/containerd-shim-runc-v2" "containerd-$CONTAINERD_VERSION/ctr"
  "crictl-$CRICTL_VERSION/crictl" "kube-router-$KUBE_ROUTER_VERSION/kube-router" "coredns-$COREDNS_VERSION/coredns"
  "prometheus-$PROMETHEUS_MODULE_VERSION/prometheus" "alertmanager-$ALERTMANAGER_VERSION/alertmanager" "otelcol-contrib-$COLLECTOR_VERSION/otelcol-contrib"
  "jaeger-$JAEGER_MODULE_VERSION/jaeger" "pause-$KUBERNETES_VERSION/pause" "postgres-$POSTGRES_BINARIES_VERSION/bin/postgres"
  "kafka-$KAFKA_SCALA-$KAFKA_VERSION/libs/.complete" "kafka-tools-$KAFKA_VERSION/libs/.complete"
  "kube-node-$KUBERNETES_VERSION/kubectl" "skaffold-$SKAFFOLD_VERSION/skaffold" "registry-$DISTRIBUTION_VERSION/registry"
)
if [[ ${1:-} == --check ]]; then
  missing=()
  for f in "${cached[@]}"; do [[ -e $CACHE_DIR/$f ]] || missing+=("${f%%/*}"); done
  mapfile -t packages < <(host_missing | sort -u)
  problems=()
  (( ${#missing[@]} )) && problems+=("not built: ${missing[*]} (make cluster-tools)")
  (( ${#packages[@]} )) && problems+=("not installed: ${packages[*]} (apt-get install -y ${packages[*]}, or make cluster-tools)")
  (( ${#problems[@]} == 0 )) && exit 0
  (IFS=';'; echo "${problems[*]}" | sed 's/;/; /g')
  exit 1
fi

step() { # step <what> <command...>
  local what=$1 started=$SECONDS; shift
  "$@" >/dev/null || die "building $what failed (see above)"
  printf '%-34s %5ss\n' "$what" "$((SECONDS - started))" >&2
}
tools=$ROOT/scripts/tools

source "$ROOT/scripts/local/infra/install.sh"
mapfile -t packages < <(host_missing | sort -u)
(( ${#packages[@]} )) && apt_install "${packages[@]}"

step "etcd $ETCD_VERSION" bash "$tools/etcd.sh"
step "kube-apiserver $KUBERNETES_VERSION" bash "$tools/kube-apiserver.sh"
step "kubelet, kube-proxy, controller-manager, scheduler, kubectl" bash "$tools/kubernetes.sh" kube-node kubelet kube-proxy kube-controller-manager kube-scheduler kubectl
step "containerd $CONTAINERD_VERSION" env GO_TAGS="no_btrfs no_devmapper no_zfs" bash "$tools/go-module-build.sh" containerd github.com/containerd/containerd/v2 "$CONTAINERD_VERSION" \
  github.com/containerd/containerd/v2/cmd/containerd github.com/containerd/containerd/v2/cmd/containerd-shim-runc-v2 github.com/containerd/containerd/v2/cmd/ctr
step "crictl $CRICTL_VERSION" bash "$tools/go-module-build.sh" crictl sigs.k8s.io/cri-tools "$CRICTL_VERSION" sigs.k8s.io/cri-tools/cmd/crictl
step "kube-router $KUBE_ROUTER_VERSION" bash "$tools/go-module-build.sh" kube-router github.com/cloudnativelabs/kube-router/v2 "$KUBE_ROUTER_VERSION" github.com/cloudnativelabs/kube-router/v2/cmd/kube-router
step "coredns $COREDNS_VERSION" bash "$tools/go-module-build.sh" coredns github.com/coredns/coredns "$COREDNS_VERSION" github.com/coredns/coredns
step "prometheus $PROMETHEUS_MODULE_VERSION" bash "$tools/go-module-build.sh" prometheus github.com/prometheus/prometheus "$PROMETHEUS_MODULE_VERSION" github.com/prometheus/prometheus/cmd/prometheus
step "alertmanager $ALERTMANAGER_VERSION" bash "$tools/alertmanager.sh"
step "otelcol-contrib $COLLECTOR_VERSION" bash "$ROOT/scripts/cluster/collector.sh"
step "jaeger $JAEGER_MODULE_VERSION" bash "$tools/jaeger.sh"
step "pause (Kubernetes $KUBERNETES_VERSION source)" bash "$ROOT/scripts/cluster/pause.sh"
step "postgres binaries $POSTGRES_BINARIES_VERSION" bash "$ROOT/scripts/cluster/postgres-binaries.sh"
step "skaffold $SKAFFOLD_VERSION" bash "$tools/skaffold.sh"
step "registry (CNCF distribution) $DISTRIBUTION_VERSION" bash "$tools/registry.sh"
step "kafka $KAFKA_VERSION jars" bash "$tools/kafka.sh" broker
step "kafka $KAFKA_VERSION tools' jars" bash "$tools/kafka.sh" tools
