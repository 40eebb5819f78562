# Redis: Debian's redis-server as a private instance under $STATE_DIR/redis,
# or whatever already answers PING on 127.0.0.1:6379. Sourced by infra.sh.

REDIS_DIR="$STATE_DIR/redis"
REDIS_PID="$REDIS_DIR/redis.pid"
REDIS_CONF="$REDIS_DIR/redis.conf"
REDIS_LOG="$LOG_DIR/redis.log"

redis_cmd() { timeout 3 redis-cli -h "$BIND_HOST" -p "$REDIS_PORT" "$@" 2>/dev/null; }
redis_answers() { [[ $(redis_cmd PING) == PONG ]]; }
redis_private_running() { pid_alive "$REDIS_PID" redis-server; }

redis_install() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null && return 0
  apt_install redis-server
}

redis_write_conf() {
  # Append-only file: payment keeps its ledger (one outcome per order) in
  # Redis, and make chaos showed RDB snapshots alone lose the charges of the
  # last minutes when Redis is killed. Each write reaches the AOF before its
  # reply, so a killed process loses nothing (everysec only matters if the
  # machine itself goes down).
  # Binding 127.0.0.1 explicitly keeps protected-mode out of the way for
  # loopback clients while refusing everyone else.
  cat > "$REDIS_CONF" <<CONF
# Written by scripts/local/infra/redis.sh on every 'up'; edit there.
bind $BIND_HOST
port $REDIS_PORT
protected-mode yes
daemonize yes
pidfile $REDIS_PID
dir $REDIS_DIR
logfile $REDIS_LOG
loglevel notice
save 3600 1 300 100 60 10000
appendonly yes
appendfsync everysec
CONF
}

redis_up() {
  if redis_private_running; then
    :
  elif port_open "$REDIS_PORT"; then
    redis_answers || die "something on $BIND_HOST:$REDIS_PORT does not answer Redis PING; stop it to let us start Redis there"
    info "Redis: reusing the server already on $BIND_HOST:$REDIS_PORT"
  else
    need_cmd redis-server "run: bash scripts/local/infra.sh install (apt-get install redis-server)"
    ensure_state_dirs
    mkdir -p "$REDIS_DIR"
    redis_write_conf
    info "starting Redis"
    # daemonize yes: redis forks and writes its own pidfile (lock fd closed).
    redis-server "$REDIS_CONF" >>"$REDIS_LOG" 2>&1 </dev/null 9>&- \
      || die "redis-server failed to start; see $REDIS_LOG"
  fi
  wait_ready 20 Redis "$REDIS_LOG" redis_answers
}

redis_down() {
  # SIGTERM makes redis save its snapshot and exit cleanly.
  stop_pid Redis "$REDIS_PID" 15 redis-server
}

redis_status() {
  local version state instance
  if redis_answers; then
    version=$(redis_cmd INFO server | tr -d '\r' | sed -n 's/^redis_version://p')
    state=up
  else
    version=$(redis-server --version 2>/dev/null | sed -n 's/.* v=\([^ ]*\).*/\1/p')
    state=DOWN
  fi
  if redis_private_running; then instance="private (pid $(pid_of "$REDIS_PID"))"
  elif [[ $state == up ]]; then instance=reused
  else instance=-; fi
  echo "Redis|${version:-?}|$BIND_HOST:$REDIS_PORT|$state|$instance"
}
