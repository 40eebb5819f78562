#!/usr/bin/env bash
# The kind cluster the make targets deploy to (`make doctor` checks the
# tools and Docker; this checks the cluster itself). Used by mk/k8s.mk.
#
#   bash scripts/kubernetes/kind-cluster.sh path    directories to prepend to PATH (a cached Helm build, when none is on PATH)
#   bash scripts/kubernetes/kind-cluster.sh ready   the cluster exists and answers, and a previous run's clean-up has finished
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

K8S_CLUSTER=${K8S_CLUSTER:-otel-shop}
CONTEXT=kind-$K8S_CLUSTER
# What skaffold's clean-up (kubectl delete --wait=false) leaves deleting:
# a namespace or a Kafka object still terminating refuses the next deploy.
CLEANUP_TIMEOUT=${K8S_CLEANUP_TIMEOUT:-300}

kc() { kubectl --context "$CONTEXT" "$@"; }

# Objects of ours with a deletionTimestamp, as kind/name or -n ns kind/name.
terminating() {
  kc get namespace shop observability kafka --ignore-not-found \
    -o jsonpath='{range .items[?(@.metadata.deletionTimestamp)]}namespace/{.metadata.name}{"\n"}{end}'
  kc -n kafka get kafkatopics.kafka.strimzi.io,kafkas.kafka.strimzi.io,kafkanodepools.kafka.strimzi.io,persistentvolumeclaims \
    --ignore-not-found -o jsonpath='{range .items[?(@.metadata.deletionTimestamp)]}-n kafka {.kind}/{.metadata.name} {.metadata.finalizers}{"\n"}{end}' 2>/dev/null || true
}

await_cleanup() {
  local deadline=$((SECONDS + CLEANUP_TIMEOUT)) left
  left=$(terminating)
  [[ -z $left ]] && return 0
  info "waiting for the previous run's clean-up: $(tr '\n' ' ' <<<"$left" | cut -c1-200)"
  while [[ -n $left ]]; do
    if (( SECONDS >= deadline )); then
      if grep -q 'strimzi.io/topic-operator' <<<"$left"; then
        die "KafkaTopics still carry the topic operator's finalizer after ${CLEANUP_TIMEOUT}s, and no operator will clear it (from a deployment before STRIMZI_USE_FINALIZERS=false): kubectl --context $CONTEXT -n kafka patch kafkatopic <name> --type=merge -p '{\"metadata\":{\"finalizers\":null}}'"
      fi
      die "still terminating after ${CLEANUP_TIMEOUT}s: $(tr '\n' ' ' <<<"$left"); look at: kubectl --context $CONTEXT get ns; kubectl --context $CONTEXT -n kafka get all,pvc"
    fi
    sleep 2
    left=$(terminating)
  done
  info "the previous run's clean-up has finished"
}

case ${1:-} in
  path)
    # Helm on PATH wins; else the one scripts/tools/helm.sh built into the cache.
    if ! command -v helm >/dev/null 2>&1 && [[ -x $CACHE_DIR/helm-$HELM_VERSION/helm ]]; then echo "$CACHE_DIR/helm-$HELM_VERSION"; fi
    ;;
  ready)
    kind get clusters 2>/dev/null | grep -qx "$K8S_CLUSTER" || die "no kind cluster '$K8S_CLUSTER': run 'make cluster' first"
    kc get --raw /readyz >/dev/null 2>&1 \
      || die "the kind cluster '$K8S_CLUSTER' does not answer (context $CONTEXT): is Docker running? 'make down && make cluster' recreates it"
    await_cleanup
    ;;
  *) die "usage: scripts/kubernetes/kind-cluster.sh path|ready" ;;
esac
