#!/usr/bin/env bash
# Local infrastructure for `make local` and the tests: PostgreSQL, Redis,
# Kafka (KRaft), Jaeger v2 and flagd (the fault flags) as plain processes on
# 127.0.0.1, state under $STATE_DIR (.local/). Servers that already answer on
# the expected ports are reused, never stopped (flagd excepted: another one
# would not watch our flags file, so its ports must be free).
#
#   scripts/local/infra.sh install   prerequisites (apt packages, Kafka jars, Jaeger and flagd builds)
#   scripts/local/infra.sh up [component...]    start what is not running, wait until ready
#   scripts/local/infra.sh status    table of component, version, address, state
#   scripts/local/infra.sh down [component...]  stop what this project started (e.g. down kafka)
#   scripts/local/infra.sh env       connection settings as export lines
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../lib.sh"
close_inherited_fds
# One job per file; the component files only define functions.
for f in common install postgres redis kafka jaeger flagd; do
  source "$here/infra/$f.sh"
done

COMPONENTS=(postgres redis kafka jaeger flagd)

# The components named on the command line (all when none), checked.
selected() {
  local c
  if (( $# == 0 )); then printf '%s\n' "${COMPONENTS[@]}"; return; fi
  for c in "$@"; do
    [[ " ${COMPONENTS[*]} " == *" $c "* ]] || die "unknown component '$c' (one of: ${COMPONENTS[*]})"
    echo "$c"
  done
}

infra_up() {
  local c started=$SECONDS
  selected "$@" >/dev/null # validates in this shell, so a bad name stops us
  for c in $(selected "$@"); do "${c}_up"; done
  info "infrastructure up in $((SECONDS - started))s (bash scripts/local/infra.sh status)"
}

infra_down() {
  local i wanted
  selected "$@" >/dev/null
  wanted=" $(selected "$@" | tr '\n' ' ') "
  # Reverse order: flagd, Jaeger and Kafka first, the databases last.
  for (( i = ${#COMPONENTS[@]} - 1; i >= 0; i-- )); do
    [[ $wanted == *" ${COMPONENTS[i]} "* ]] && "${COMPONENTS[i]}_down"
  done
  return 0
}

infra_status() {
  local c line rows=() down=()
  for c in "${COMPONENTS[@]}"; do
    line=$("${c}_status")
    rows+=("$line")
    [[ $(cut -d'|' -f4 <<<"$line") == up ]] || down+=("${line%%|*}")
  done
  # Aligned columns without depending on column(1).
  printf '%s\n' "COMPONENT|VERSION|ADDRESS|STATE|INSTANCE" "${rows[@]}" | awk -F'|' '
    { for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } }
    END { for (r = 1; r <= NR; r++) { for (i = 1; i <= 5; i++) printf "%-*s  ", w[i], cell[r, i]; printf "\n" } }' \
    | sed 's/ *$//'
  # Exit 0 either way, but say in plain words what is down.
  if (( ${#down[@]} )); then
    echo "DOWN: ${down[*]} (start with: bash scripts/local/infra.sh up)"
  else
    echo "all components up"
  fi
}

infra_env() {
  cat <<ENV
export DATABASE_HOST=$BIND_HOST
export DATABASE_PORT=$PG_PORT
export DATABASE_USER=$PG_USER
export REDIS_URL=redis://$BIND_HOST:$REDIS_PORT
export KAFKA_BROKERS=$BIND_HOST:$KAFKA_PORT
export OTEL_EXPORTER_OTLP_ENDPOINT=http://$BIND_HOST:$JAEGER_OTLP_HTTP_PORT
export JAEGER_QUERY_URL=http://$BIND_HOST:$JAEGER_QUERY_PORT
export FLAGD_RESOLVER=in-process
export FLAGD_HOST=$BIND_HOST
export FLAGD_PORT=$FLAGD_SYNC_PORT
ENV
}

# up/down from two shells at once (the lead and a helper, make and a test)
# must not race to start the same server twice: serialise them.
with_lock() {
  ensure_state_dirs
  # fd 9: every server we start closes it (spawn_daemon, redis, pg_ctl).
  exec 9>"$STATE_DIR/.infra.lock"
  flock -w 180 9 || die "another 'scripts/local/infra.sh up/down' has held $STATE_DIR/.infra.lock for 180s"
  "$@"
}

case ${1:-} in
  install) infra_install ;;
  up)      shift; with_lock infra_up "$@" ;;
  down)    shift; with_lock infra_down "$@" ;;
  status)  infra_status ;;
  env)     infra_env ;;
  *) echo 'usage:' >&2; sed -n 's|^#   \(scripts/local/infra.sh .*\)|  \1|p' "$0" >&2; exit 2 ;;
esac
