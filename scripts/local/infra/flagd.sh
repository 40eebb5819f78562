# flagd, the fault flags' daemon (docs/flags.md): the binary
# scripts/tools/flagd.sh builds into the cache, syncing the flag definitions
# from $FLAGS_FILE (written from the contract, every flag off, when missing;
# `shopctl flags` rewrites it), every listener on 127.0.0.1. The services
# read the definitions from its sync port and evaluate them in-process.
# Sourced by scripts/local/infra.sh.

FLAGD_DIR="$STATE_DIR/flagd"
FLAGD_PID="$FLAGD_DIR/flagd.pid"
FLAGD_LOG="$LOG_DIR/flagd.log"
# LOCAL_FLAGS_FILE in @shop/contracts (local.ts), under the state directory.
FLAGS_FILE="$STATE_DIR/flags/flags.flagd.json"
FLAGD_PORT=8013
FLAGD_MANAGEMENT_PORT=8014
FLAGD_SYNC_PORT=8015
FLAGD_OFREP_PORT=8016

# The cached binary; `up` never builds it (infra.sh install does).
flagd_bin() {
  local bin="$CACHE_DIR/flagd-$FLAGD_VERSION/flagd"
  [[ -x $bin ]] || return 1
  echo "$bin"
}

flagd_private_running() { pid_alive "$FLAGD_PID" flagd; }

flagd_answers() {
  curl -sf -m 3 -o /dev/null "http://$BIND_HOST:$FLAGD_MANAGEMENT_PORT/readyz"
}

# Ready = the management port says ready and the sync port (the services') listens.
flagd_ready() {
  flagd_answers && port_open "$FLAGD_SYNC_PORT"
}

flagd_install() {
  flagd_bin >/dev/null && return 0
  need_cmd go "install Go 1.24+ (https://go.dev/dl or apt-get install golang) to build flagd $FLAGD_VERSION from the Go module proxy"
  bash "$ROOT/scripts/tools/flagd.sh" >/dev/null
}

# The definitions as the contract makes them (every flag off), unless a file
# is there: flags set before a restart stay set, as they would in a cluster.
flagd_write_flags() {
  [[ -s $FLAGS_FILE ]] && return 0
  mkdir -p "$(dirname "$FLAGS_FILE")"
  node "$ROOT/scripts/local/flags-file.ts" ensure "$FLAGS_FILE" \
    || die "could not write $FLAGS_FILE (node scripts/local/flags-file.ts ensure $FLAGS_FILE)"
}

flagd_up() {
  local bin port
  if ! flagd_private_running; then
    # Another flagd would watch another file: `shopctl flags` would change nothing.
    for port in "$FLAGD_PORT" "$FLAGD_MANAGEMENT_PORT" "$FLAGD_SYNC_PORT" "$FLAGD_OFREP_PORT"; do
      if port_open "$port"; then
        die "port $port, flagd's, is taken by another process (ss -ltnp | grep :$port); stop it to let us start flagd there"
      fi
    done
    bin=$(flagd_bin) || die "flagd $FLAGD_VERSION is not built yet; run: bash scripts/local/infra.sh install (about 2 min the first time)"
    ensure_state_dirs
    mkdir -p "$FLAGD_DIR"
    flagd_write_flags
    info "starting flagd ($bin)"
    # SHOP_FLAGD_BIND_HOST: our build's bind address (scripts/tools/flagd/bind-host.sh).
    spawn_daemon "$FLAGD_PID" "$FLAGD_LOG" env SHOP_FLAGD_BIND_HOST="$BIND_HOST" "$bin" start \
      --port "$FLAGD_PORT" --management-port "$FLAGD_MANAGEMENT_PORT" \
      --sync-port "$FLAGD_SYNC_PORT" --ofrep-port "$FLAGD_OFREP_PORT" \
      --uri "file:$FLAGS_FILE" \
      || die "flagd did not start; see $FLAGD_LOG"
  fi
  wait_started 30 flagd "$FLAGD_LOG" flagd_private_running flagd_ready
}

flagd_down() {
  stop_pid flagd "$FLAGD_PID" 10 flagd
}

# The release `flagd version` reports (stamped in by scripts/tools/flagd.sh).
flagd_version() {
  local bin v=''
  if bin=$(flagd_bin); then
    v=$("$bin" version 2>/dev/null | sed -n 's/^flagd: \([0-9][^ ]*\) .*/v\1/p' | head -n1)
  fi
  echo "${v:-$FLAGD_VERSION}"
}

flagd_status() {
  local state instance
  if flagd_ready; then state=up; else state=DOWN; fi
  if flagd_private_running; then instance="private (pid $(pid_of "$FLAGD_PID"))"
  elif [[ $state == up ]]; then instance="another flagd"
  else instance=-; fi
  echo "flagd|$(flagd_version)|$BIND_HOST:$FLAGD_SYNC_PORT (sync; evaluation $FLAGD_PORT, management $FLAGD_MANAGEMENT_PORT, OFREP $FLAGD_OFREP_PORT; ${FLAGS_FILE#"$ROOT"/})|$state|$instance"
}
