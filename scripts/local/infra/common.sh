# Helpers shared by the scripts/local/infra/*.sh component files: process
# bookkeeping, readiness waits and the privilege switch postgres needs.
# Sourced by scripts/local/infra.sh after scripts/lib.sh, never run.

LOG_DIR="$STATE_DIR/logs"

# The addresses every component binds. Loopback only, by design: nothing
# here has authentication worth the name (trust auth, no Redis password).
BIND_HOST=127.0.0.1
PG_PORT=5432
REDIS_PORT=6379
KAFKA_PORT=9092
KAFKA_CONTROLLER_PORT=9093
JAEGER_QUERY_PORT=16686

ensure_state_dirs() {
  # 0755 so the unprivileged postgres user can traverse into .local/postgres.
  mkdir -p "$STATE_DIR" "$LOG_DIR"
  chmod 0755 "$STATE_DIR" "$LOG_DIR"
}

# pid_alive <pidfile> [command pattern]: true when the file names a running
# process (whose command line matches the pattern, when given: after a
# reboot a stale pid file may name some unrelated process, which we must
# neither report as ours nor signal).
pid_alive() {
  local pid
  [[ -s $1 ]] || return 1
  pid=$(head -n1 "$1" | tr -dc '0-9')
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 1
  [[ -z ${2:-} ]] || tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$2"
}

pid_of() { head -n1 "$1" | tr -dc '0-9'; }

# stop_pid <name> <pidfile> <grace seconds> [command pattern]: SIGTERM,
# wait, then SIGKILL. Only ever signals the pid this project recorded, so
# reused external servers are never touched.
stop_pid() {
  local name=$1 pidfile=$2 grace=$3 pattern=${4:-} pid deadline
  if ! pid_alive "$pidfile" "$pattern"; then
    rm -f "$pidfile"; return 0
  fi
  pid=$(pid_of "$pidfile")
  info "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + grace))
  while kill -0 "$pid" 2>/dev/null; do
    if (( SECONDS >= deadline )); then
      info "$name did not stop within ${grace}s: sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.3
  done
  rm -f "$pidfile"
  info "$name stopped in $((SECONDS - deadline + grace))s"
}

# spawn_daemon <pidfile> <log> <command...>: run a foreground server in the
# background, detached: own session (a Ctrl-C in the calling terminal does
# not reach it), stdin closed, output appended to its log, and fd 9 closed:
# that is infra.sh's up/down lock, which a long-lived server must not hold.
# The inner shell records its own pid and then becomes the server.
spawn_daemon() {
  local pidfile=$1 log=$2; shift 2
  rm -f "$pidfile"
  setsid nohup bash -c 'echo $$ > "$1"; shift; exec "$@"' _ "$pidfile" "$@" \
    >>"$log" 2>&1 </dev/null 9>&- &
  # The pid file appears as soon as the child shell runs.
  wait_for 5 "pid file" test -s "$pidfile"
}

# wait_ready <seconds> <name> <log file> <probe command...>: poll the probe,
# fail with one line that points at the log when the deadline passes.
wait_ready() {
  local secs=$1 name=$2 log=$3; shift 3
  local started=$SECONDS
  if ! wait_for "$secs" "$name" "$@"; then
    die "$name did not become ready within ${secs}s; see $log (tail: $(tail -n 3 "$log" 2>/dev/null | tr '\n' ' ' | cut -c1-300))"
  fi
  info "$name ready in $((SECONDS - started))s"
}

# wait_started <seconds> <name> <log file> <alive function> <probe...>: like
# wait_ready for a process we launched: fails at once when it dies (bad
# config, port taken) instead of waiting out the whole deadline.
wait_started() {
  local secs=$1 name=$2 log=$3 alive=$4; shift 4
  local started=$SECONDS deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    "$alive" \
      || die "$name exited during startup; see $log (tail: $(tail -n 3 "$log" 2>/dev/null | tr '\n' ' ' | cut -c1-300))"
    (( SECONDS < deadline )) || die "$name did not become ready within ${secs}s; see $log"
    sleep 0.5
  done
  info "$name ready in $((SECONDS - started))s"
}

# as_service_user <user> <command...>: postgres refuses to run as root, so
# when we are root we drop to the Debian package's system user; otherwise we
# simply run as ourselves.
as_service_user() {
  local user=$1; shift
  if (( EUID == 0 )); then
    # cd / first: the caller's cwd (often /root/...) may be unreadable.
    (cd / && runuser -u "$user" -- "$@")
  else
    "$@"
  fi
}

# user_can_traverse <user> <dir>: true when the service user can search dir
# (so every ancestor too); postgres must reach its own data directory.
user_can_traverse() {
  (( EUID == 0 )) || return 0
  (cd / && runuser -u "$1" -- test -x "$2")
}

# A one-line bash-only Kafka ApiVersions (v0) probe: proves a Kafka broker
# (not just any TCP listener) answers on host:port. Response header must
# echo correlation id 1 and error code 0.
kafka_api_probe() { # kafka_api_probe <port>
  local port=$1 reply
  reply=$(timeout 3 bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    # size=15 | api_key=18 (ApiVersions) | version=0 | correlation=1 | client_id="probe"
    printf "\x00\x00\x00\x0f\x00\x12\x00\x00\x00\x00\x00\x01\x00\x05probe" >&3
    head -c 10 <&3 | od -An -tx1 | tr -d " \n"' _ "$port" 2>/dev/null) || return 1
  [[ ${reply:8:12} == 000000010000 ]]
}
