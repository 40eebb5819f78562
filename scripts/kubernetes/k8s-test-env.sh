#!/usr/bin/env bash
# A real Kubernetes API server for shopctl's tests: etcd + kube-apiserver on
# 127.0.0.1, on free ports, with every credential generated at start into a
# scratch directory (CA, serving cert, admin client cert, service-account
# key, a static token). No kubelet, no controller-manager, no scheduler: the
# tests write the status a controller would (Deployments, DaemonSets, Pods,
# Strimzi resources) through the status subresources.
#
#   scripts/kubernetes/k8s-test-env.sh start DIR   start both in DIR (created), write DIR/kubeconfig, print its path
#   scripts/kubernetes/k8s-test-env.sh stop DIR    stop what `start DIR` started, then remove DIR
#   scripts/kubernetes/k8s-test-env.sh run -- CMD  start in a temp dir, run CMD with KUBECONFIG set, stop (always)
#
# The kubeconfig has two contexts: `shop-test` (client certificate in
# group system:masters, the current context) and `shop-test-no-rights`
# (a static token for a user RBAC grants nothing, for the 403 paths).
# The binaries come from scripts/tools/{etcd,kube-apiserver}.sh (built once
# into the cache; the first kube-apiserver build takes 15-30 min).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../lib.sh"

ETCD_BIN="$CACHE_DIR/etcd-$ETCD_VERSION/etcd"
APISERVER_BIN="$CACHE_DIR/kube-apiserver-$KUBERNETES_VERSION/kube-apiserver"
START_TIMEOUT=${K8S_TEST_START_TIMEOUT:-90}

binaries_ok() {
  [[ -x $ETCD_BIN ]] || die "etcd $ETCD_VERSION is not built: run bash scripts/tools/etcd.sh (a few minutes, once)"
  [[ -x $APISERVER_BIN ]] || die "kube-apiserver $KUBERNETES_VERSION is not built: run bash scripts/tools/kube-apiserver.sh (15-30 min on 2 cores, once)"
  need_cmd openssl "apt-get install openssl"
  need_cmd curl "apt-get install curl"
}

# A port nobody listens on right now. The OS picks it; the tiny window until
# the server binds it is acceptable for tests.
free_port() {
  node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
}

# Everything secret is made here, per run, and dies with the directory.
generate_credentials() {
  local pki=$1
  mkdir -p "$pki"
  (
    cd "$pki"
    openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=shopctl-test-ca" \
      -keyout ca.key -out ca.crt 2>/dev/null
    # Serving certificate for 127.0.0.1 (clients verify it against ca.crt: no insecure-skip-tls-verify).
    openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" -keyout apiserver.key -out apiserver.csr 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' > apiserver.ext
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 1 \
      -extfile apiserver.ext -out apiserver.crt 2>/dev/null
    # Admin client certificate: O=system:masters is allowed everything by RBAC.
    openssl req -newkey rsa:2048 -nodes -subj "/O=system:masters/CN=shopctl-test-admin" \
      -keyout admin.key -out admin.csr 2>/dev/null
    printf 'extendedKeyUsage=clientAuth\n' > admin.ext
    openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 1 \
      -extfile admin.ext -out admin.crt 2>/dev/null
    # Service-account token signing key (the API server refuses to start without one).
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
    # A static token for a user without any RBAC binding.
    printf '%s,shopctl-test-nobody,nobody-uid\n' "$(openssl rand -hex 24)" > tokens.csv
    chmod 600 ./*.key tokens.csv
  )
}

b64() { base64 -w0 < "$1"; }

write_kubeconfig() {
  local dir=$1 server=$2 pki=$1/pki token
  token=$(cut -d, -f1 "$pki/tokens.csv")
  cat > "$dir/kubeconfig" <<YAML
apiVersion: v1
kind: Config
clusters:
  - name: shop-test
    cluster:
      server: $server
      certificate-authority-data: $(b64 "$pki/ca.crt")
users:
  - name: shop-test-admin
    user:
      client-certificate-data: $(b64 "$pki/admin.crt")
      client-key-data: $(b64 "$pki/admin.key")
  - name: shop-test-nobody
    user:
      token: $token
contexts:
  - name: shop-test
    context: { cluster: shop-test, user: shop-test-admin }
  - name: shop-test-no-rights
    context: { cluster: shop-test, user: shop-test-nobody }
current-context: shop-test
YAML
  chmod 600 "$dir/kubeconfig"
}

apiserver_ready() { # apiserver_ready <dir> <port>
  curl -fsS -m 2 --cacert "$1/pki/ca.crt" --cert "$1/pki/admin.crt" --key "$1/pki/admin.key" \
    "https://127.0.0.1:$2/readyz" >/dev/null 2>&1
}

# Exits with the daemon's log tail when it died or did not answer in time.
wait_up() { # wait_up <name> <pidfile> <log> <probe...>
  local name=$1 pidfile=$2 log=$3 deadline=$((SECONDS + START_TIMEOUT)); shift 3
  until "$@" >/dev/null 2>&1; do
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      tail -n 30 "$log" >&2
      die "$name exited during start; log: $log"
    fi
    (( SECONDS < deadline )) || { tail -n 30 "$log" >&2; die "$name not ready after ${START_TIMEOUT}s; log: $log"; }
    sleep 0.3
  done
}

start_env() {
  local dir=${1:?usage: k8s-test-env.sh start DIR}
  binaries_ok
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  local started=$SECONDS etcd_port peer_port api_port
  generate_credentials "$dir/pki"
  etcd_port=$(free_port); peer_port=$(free_port); api_port=$(free_port)

  # --unsafe-no-fsync: throwaway data, and fsync on a shared 2-core box is the slow part.
  "$ETCD_BIN" --name shop-test --data-dir "$dir/etcd-data" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-cluster "shop-test=http://127.0.0.1:$peer_port" \
    --unsafe-no-fsync --log-level warn >"$dir/etcd.log" 2>&1 &
  echo $! > "$dir/etcd.pid"
  wait_up etcd "$dir/etcd.pid" "$dir/etcd.log" curl -fsS -m 2 "http://127.0.0.1:$etcd_port/health"

  # No controller-manager runs, so nothing creates the `default`
  # ServiceAccount the ServiceAccount admission plugin insists on for pods.
  # The endpoint reconciler would try to publish 127.0.0.1 as the
  # `kubernetes` Service's endpoint, which validation rejects (loopback).
  "$APISERVER_BIN" \
    --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" \
    --tls-cert-file "$dir/pki/apiserver.crt" --tls-private-key-file "$dir/pki/apiserver.key" \
    --client-ca-file "$dir/pki/ca.crt" --token-auth-file "$dir/pki/tokens.csv" \
    --authorization-mode RBAC --anonymous-auth=false \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$dir/pki/sa.pub" --service-account-signing-key-file "$dir/pki/sa.key" \
    --service-cluster-ip-range 10.96.0.0/16 \
    --disable-admission-plugins ServiceAccount \
    --endpoint-reconciler-type none \
    --profiling=false >"$dir/kube-apiserver.log" 2>&1 &
  echo $! > "$dir/kube-apiserver.pid"
  wait_up kube-apiserver "$dir/kube-apiserver.pid" "$dir/kube-apiserver.log" apiserver_ready "$dir" "$api_port"

  write_kubeconfig "$dir" "https://127.0.0.1:$api_port"
  info "etcd 127.0.0.1:$etcd_port + kube-apiserver https://127.0.0.1:$api_port ready in $((SECONDS - started))s (dir $dir)"
  echo "$dir/kubeconfig"
}

stop_one() { # stop_one <pidfile>
  local pidfile=$1 pid i
  [[ -f $pidfile ]] || return 0
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for (( i = 0; i < 50; i++ )); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

stop_env() {
  local dir=${1:?usage: k8s-test-env.sh stop DIR}
  [[ -d $dir ]] || return 0
  stop_one "$dir/kube-apiserver.pid"
  stop_one "$dir/etcd.pid"
  # Only ever remove a directory this script set up.
  if [[ -f $dir/pki/ca.crt && -z ${K8S_TEST_KEEP:-} ]]; then rm -rf "$dir"; fi
}

run_env() {
  [[ ${1:-} == -- ]] && shift
  (( $# > 0 )) || die "usage: k8s-test-env.sh run -- CMD..."
  # Global: the EXIT trap runs after this function's locals are gone.
  RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/shop-k8s-test.XXXXXX")
  trap 'stop_env "$RUN_DIR"' EXIT
  local kubeconfig
  kubeconfig=$(start_env "$RUN_DIR")
  KUBECONFIG=$kubeconfig "$@"
}

case ${1:-} in
  start) start_env "${2:-}" ;;
  stop) stop_env "${2:-}" ;;
  run) shift; run_env "$@" ;;
  *) die "usage: scripts/kubernetes/k8s-test-env.sh start DIR | stop DIR | run -- CMD..." ;;
esac
