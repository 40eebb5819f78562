#!/usr/bin/env bash
# Checks the tools the kind path needs and names every missing one with how
# to install it (all at once, not one per run). Used by mk/k8s.mk.
#
#   bash scripts/tools/k8s-prereqs.sh [--cluster] TOOL...   TOOL: docker kind kubectl skaffold helm
#       --cluster  also require the kind cluster (make cluster) and a working context
#   bash scripts/tools/k8s-prereqs.sh --path                 directories to prepend to PATH (a cached Helm build)
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

K8S_CLUSTER=${K8S_CLUSTER:-otel-shop}
helm_cache_dir="$CACHE_DIR/helm-$HELM_VERSION"

if [[ ${1:-} == --path ]]; then
  # Helm on PATH wins; else the one scripts/tools/helm.sh built into the cache.
  if ! command -v helm >/dev/null 2>&1 && [[ -x $helm_cache_dir/helm ]]; then echo "$helm_cache_dir"; fi
  exit 0
fi

want_cluster=false
if [[ ${1:-} == --cluster ]]; then want_cluster=true; shift; fi

declare -A HINT=(
  [docker]="Docker Engine or Docker Desktop (https://docs.docker.com/get-docker/), running, with >= 4 CPUs and 8 GB for its VM"
  [kind]="kind v0.29+ (Kubernetes 1.33+): 'go install sigs.k8s.io/kind@latest', 'brew install kind', or https://kind.sigs.k8s.io/docs/user/quick-start/#installation"
  [kubectl]="kubectl 1.33+: 'brew install kubectl' or https://kubernetes.io/docs/tasks/tools/"
  [skaffold]="skaffold v2.24+ (skaffold/v4beta14 configs): 'brew install skaffold' or https://skaffold.dev/docs/install/"
  [helm]="Helm 3: 'brew install helm', https://helm.sh/docs/intro/install/, or 'bash scripts/tools/helm.sh' (builds $HELM_VERSION with Go into $helm_cache_dir)"
)

missing=()
have() {
  case $1 in
    helm) command -v helm >/dev/null 2>&1 || [[ -x $helm_cache_dir/helm ]] ;;
    *) command -v "$1" >/dev/null 2>&1 ;;
  esac
}

for tool in "$@"; do
  [[ -n ${HINT[$tool]:-} ]] || die "unknown tool '$tool' (known: ${!HINT[*]})"
  if ! have "$tool"; then
    missing+=("$tool")
  elif [[ $tool == docker ]] && ! docker info >/dev/null 2>&1; then
    missing+=("docker")
    HINT[docker]="the docker CLI is installed but no Docker daemon answers ('docker info' fails): start Docker Desktop / the docker service"
  fi
done

if ((${#missing[@]})); then
  printf 'error: the kind path needs tools that are missing:\n' >&2
  for tool in "${missing[@]}"; do printf '  - %-9s %s\n' "$tool" "${HINT[$tool]}" >&2; done
  printf 'see docs/kubernetes.md (Prerequisites)\n' >&2
  exit 1
fi

if $want_cluster; then
  kind get clusters 2>/dev/null | grep -qx "$K8S_CLUSTER" \
    || die "no kind cluster '$K8S_CLUSTER': run 'make cluster' first"
  kubectl --context "kind-$K8S_CLUSTER" get --raw /readyz >/dev/null 2>&1 \
    || die "the kind cluster '$K8S_CLUSTER' does not answer (context kind-$K8S_CLUSTER): is Docker running? 'make down && make cluster' recreates it"
fi
