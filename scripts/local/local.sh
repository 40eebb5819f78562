#!/usr/bin/env bash
# `make local`: the whole system on this host, no containers. Infrastructure
# from scripts/local/infra.sh, then the five services, the storefront (its
# browser bundle built first) and the load generator (idle: rate 0 until the
# flag loadGeneratorRate says otherwise) as Node processes with telemetry on, logs
# under .local/logs, pids under .local/run.
#
#   scripts/local/local.sh up       start infrastructure and services, wait until ready
#   scripts/local/local.sh restart  stop the services, then up (picks up code changes)
#   scripts/local/local.sh down     stop the services and the infrastructure
#   scripts/local/local.sh stop     stop the services only
#   scripts/local/local.sh status   infrastructure and services
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../lib.sh"
close_inherited_fds
source "$here/infra/common.sh"

RUN_DIR="$STATE_DIR/run"

# Node 24 (the services', and scripts/local/service-env.ts's): the one on PATH when
# it is new enough, else the pinned one scripts/node.sh provisions.
node_ok() {
  if command -v node >/dev/null && [[ $(node -p 'process.versions.node.split(".")[0]') -ge 24 ]]; then return 0; fi
  PATH="$(bash "$here/../node.sh"):$PATH"
}

# The service table is @shop/contracts' (scripts/local/service-env.ts prints it):
# SERVICES in start order (callees first), PORTS by name.
SERVICES=()
declare -A PORTS=()
load_services() {
  local name port
  while read -r name port; do SERVICES+=("$name"); PORTS[$name]=$port; done \
    < <(node "$here/service-env.ts" table)
  (( ${#SERVICES[@]} )) || die "could not read the service table (node scripts/local/service-env.ts table)"
}

service_pidfile() { echo "$RUN_DIR/$1.pid"; }
service_running() { pid_alive "$(service_pidfile "$1")" "src/main.ts"; }
service_url() { echo "http://$BIND_HOST:${PORTS[$1]}"; }

services_root() { echo "${SHOP_SERVICES_ROOT:-$ROOT}"; }

# A checkout from before the storefront existed (SHOP_SERVICES_ROOT, an
# earlier commit for an interleaved bench) runs without it.
drop_absent_services() {
  local svc kept=()
  for svc in "${SERVICES[@]}"; do
    if [[ -d "$(services_root)/services/$svc" ]]; then kept+=("$svc")
    else info "no services/$svc in $(services_root): not started"; fi
  done
  SERVICES=("${kept[@]}")
}

# The storefront serves its pages' JavaScript from services/storefront/dist
# (gitignored), bundled with esbuild; it refuses to start without it.
build_storefront() {
  [[ " ${SERVICES[*]} " == *" storefront "* ]] || return 0
  info "building the storefront's browser bundle"
  (cd "$(services_root)" && npm run build --silent --workspace @shop/storefront) >&2 \
    || die "could not build the storefront's bundle (cd $(services_root) && npm run build --workspace @shop/storefront)"
}

start_service() {
  local svc=$1 log="$LOG_DIR/$1.log" pidfile
  pidfile=$(service_pidfile "$svc")
  if service_running "$svc"; then return 0; fi
  if port_open "${PORTS[$svc]}"; then
    die "port ${PORTS[$svc]} for $svc is taken by another process (ss -ltnp | grep :${PORTS[$svc]})"
  fi
  info "starting $svc on $(service_url "$svc") (log: $log)"
  (
    # SHOP_SERVICES_ROOT: the services of another checkout (with its own
    # node_modules) on this one's infrastructure, e.g. an earlier commit for
    # an interleaved before/after bench. SHOP_OTEL_REGISTER: another
    # telemetry bootstrap in place of the kit's (the bench's stock setup).
    cd "$(services_root)/services/$svc"
    # shellcheck disable=SC2046
    env $(node "$ROOT/scripts/local/service-env.ts" env "$svc") nohup node --import "${SHOP_OTEL_REGISTER:-@shop/kit/telemetry/register}" src/main.ts >>"$log" 2>&1 &
    echo $! >"$pidfile"
  )
}

service_ready() { curl -fsS -m 2 "$(service_url "$1")/readyz" >/dev/null 2>&1; }

wait_service() {
  local svc=$1 deadline=$((SECONDS + 90))
  until service_ready "$svc"; do
    # kill -0, not service_running: for a moment after the fork the pid's
    # command line is still the launching shell's, not node's.
    if ! kill -0 "$(pid_of "$(service_pidfile "$svc")")" 2>/dev/null; then
      tail -n 20 "$LOG_DIR/$svc.log" >&2 || true
      die "$svc exited during start; its log: $LOG_DIR/$svc.log"
    fi
    (( SECONDS < deadline )) || die "$svc not ready after 90 s: $(curl -s -m 2 "$(service_url "$svc")/readyz"); log: $LOG_DIR/$svc.log"
    sleep 0.5
  done
}

stop_services() {
  local i
  for (( i = ${#SERVICES[@]} - 1; i >= 0; i-- )); do
    stop_pid "${SERVICES[i]}" "$(service_pidfile "${SERVICES[i]}")" 20 "src/main.ts"
  done
}

local_up() {
  bash "$here/infra.sh" up
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  drop_absent_services
  build_storefront
  local svc started=$SECONDS
  for svc in "${SERVICES[@]}"; do start_service "$svc"; done
  for svc in "${SERVICES[@]}"; do wait_service "$svc"; done
  info "all services ready in $((SECONDS - started))s"
  cat <<MSG

  gateway        $(service_url gateway)    (public API)
  order          $(service_url order)
  inventory      $(service_url inventory)
  payment        $(service_url payment)
  notification   $(service_url notification)    (admin: /notifications?order_id=)
  storefront     $(service_url storefront)    (the shop: open it in a browser)
  load generator $(service_url load-generator)    (idle until: npx shopctl flags set loadGeneratorRate 2)
  Jaeger         http://$BIND_HOST:$JAEGER_QUERY_PORT   (API: /api/traces?service=gateway)
  fault flags    npx shopctl flags list   (flagd on $BIND_HOST:8015, docs/flags.md)
  logs           $LOG_DIR/<service>.log

  Try:
    curl -s -X POST $(service_url gateway)/api/orders \\
      -H 'Authorization: Bearer ${SHOP_API_KEY:-local-dev-key}' -H 'Content-Type: application/json' \\
      -H "Idempotency-Key: \$(uuidgen || date +%s%N)" \\
      -d '{"user_id":"user-1","product_id":"PROD-123","quantity":2}'

MSG
}

local_status() {
  bash "$here/infra.sh" status
  local svc state
  printf '%-14s %-26s %s\n' SERVICE ADDRESS STATE
  for svc in "${SERVICES[@]}"; do
    if service_ready "$svc"; then state="ready (pid $(pid_of "$(service_pidfile "$svc")"))"
    elif service_running "$svc"; then state="running, NOT ready"
    else state=DOWN; fi
    printf '%-14s %-26s %s\n' "$svc" "$(service_url "$svc")" "$state"
  done
}

case ${1:-} in
  up|restart|stop|down|status) node_ok; load_services ;;
esac
case ${1:-} in
  up) local_up ;;
  restart) stop_services; local_up ;;
  stop) stop_services ;;
  down) stop_services; bash "$here/infra.sh" down ;;
  status) local_status ;;
  *) die "usage: scripts/local/local.sh up|restart|stop|down|status" ;;
esac
