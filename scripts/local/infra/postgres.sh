# PostgreSQL: Debian's server binaries, a private cluster under
# $STATE_DIR/postgres, or whatever already answers on 127.0.0.1:5432 and
# accepts role `shop` without a password. Sourced by scripts/local/infra.sh.

PG_DIR="$STATE_DIR/postgres"
PG_DATA="$PG_DIR/data"
PG_SOCKET_DIR="$PG_DIR/run"
PG_LOG="$LOG_DIR/postgres.log"
PG_USER=shop
PG_DATABASES=(orders inventory notifications)
# The OS user that owns the private cluster (postgres refuses root).
PG_OS_USER=$([[ $EUID == 0 ]] && echo postgres || id -un)

# Newest Debian server version installed, e.g. /usr/lib/postgresql/15/bin.
pg_bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
  [[ -x $d/pg_ctl ]] && echo "$d"
}

# psql against the TCP port, never a socket: exactly what services do.
# -w: never prompt on the terminal for a password (a foreign server that
# wants one must fail fast, not hang `up`).
pg_psql() { # pg_psql <db> <sql>
  PGCONNECT_TIMEOUT=3 psql -X -q -w -h "$BIND_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$1" \
    -v ON_ERROR_STOP=1 -Atc "$2" </dev/null
}
pg_answers() { pg_psql postgres 'select 1' >/dev/null 2>&1; }

pg_private_running() {
  [[ -f $PG_DATA/PG_VERSION ]] && pid_alive "$PG_DATA/postmaster.pid" postgres
}

postgres_install() {
  if ! pg_bindir >/dev/null || ! command -v psql >/dev/null; then
    apt_install postgresql
  fi
}

# Settings we own live in their own file, rewritten on every `up`, so a
# moved checkout (new socket path) or a changed setting just works.
pg_write_conf() {
  cat > "$PG_DATA/shop.conf" <<CONF
# Written by scripts/local/infra/postgres.sh on every 'up'; edit there.
listen_addresses = '$BIND_HOST'
port = $PG_PORT
unix_socket_directories = '$PG_SOCKET_DIR'
unix_socket_permissions = 0700
max_connections = 200
shared_buffers = 128MB
fsync = on
log_line_prefix = '%m [%p] %q%u@%d '
log_timezone = 'UTC'
timezone = 'UTC'
CONF
  # trust for 127.0.0.1 only: no password in the repo, nothing but loopback.
  cat > "$PG_DATA/pg_hba.conf" <<HBA
# Written by scripts/local/infra/postgres.sh. Private, loopback-only cluster.
# TYPE  DATABASE  USER  ADDRESS       METHOD
host    all       all   127.0.0.1/32  trust
HBA
  grep -q "^include_if_exists = 'shop.conf'" "$PG_DATA/postgresql.conf" \
    || echo "include_if_exists = 'shop.conf'" >> "$PG_DATA/postgresql.conf"
  if (( EUID == 0 )); then chown "$PG_OS_USER": "$PG_DATA/shop.conf" "$PG_DATA/pg_hba.conf"; fi
}

pg_prepare_dirs() {
  mkdir -p "$PG_DIR" "$PG_SOCKET_DIR"
  chmod 0755 "$PG_DIR"
  chmod 0700 "$PG_SOCKET_DIR"
  touch "$PG_LOG"
  if (( EUID == 0 )); then
    id "$PG_OS_USER" >/dev/null 2>&1 \
      || die "system user '$PG_OS_USER' is missing (it comes with the postgresql package: apt-get install postgresql)"
    chown -R "$PG_OS_USER": "$PG_DIR"
    chown "$PG_OS_USER": "$PG_LOG"
    if ! user_can_traverse "$PG_OS_USER" "$PG_DIR"; then
      # Name the first directory on the way down that it cannot search.
      local blocker='' part parts
      IFS=/ read -ra parts <<<"${PG_DIR#/}"
      for part in "${parts[@]}"; do
        blocker+="/$part"
        user_can_traverse "$PG_OS_USER" "$blocker" || break
      done
      die "user '$PG_OS_USER' cannot reach $PG_DIR: it may not search $blocker; run 'chmod o+x $blocker' or set SHOP_STATE_DIR to a directory it can reach"
    fi
  fi
}

pg_initdb() {
  [[ -f $PG_DATA/PG_VERSION ]] && return 0
  info "initialising a private PostgreSQL cluster in $PG_DATA"
  rm -rf "$PG_DATA"
  mkdir -p "$PG_DATA"; chmod 0700 "$PG_DATA"
  if (( EUID == 0 )); then chown "$PG_OS_USER": "$PG_DATA"; fi
  # -U shop: the bootstrap superuser is our role, so no extra CREATE ROLE.
  as_service_user "$PG_OS_USER" "$1/initdb" -D "$PG_DATA" -U "$PG_USER" \
    --auth=trust -E UTF8 --locale=C.UTF-8 >>"$PG_LOG" 2>&1 \
    || { rm -rf "$PG_DATA"; die "initdb failed; see $PG_LOG"; }
}

pg_create_databases() {
  local db
  for db in "${PG_DATABASES[@]}"; do
    if [[ -z $(pg_psql postgres "select 1 from pg_database where datname = '$db'") ]]; then
      pg_psql postgres "create database \"$db\" owner \"$PG_USER\"" \
        || die "could not create database $db on $BIND_HOST:$PG_PORT"
      info "created database $db"
    fi
  done
}

postgres_up() {
  local bindir
  if pg_private_running; then
    :
  elif port_open "$PG_PORT"; then
    pg_answers || die "something on $BIND_HOST:$PG_PORT refuses role '$PG_USER' without a password; stop it or create that role (e.g. sudo -u postgres createuser -s $PG_USER and trust auth for 127.0.0.1)"
    info "PostgreSQL: reusing the server already on $BIND_HOST:$PG_PORT"
  else
    bindir=$(pg_bindir) || die "PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin; run: bash scripts/local/infra.sh install"
    ensure_state_dirs
    pg_prepare_dirs
    pg_initdb "$bindir"
    pg_write_conf
    info "starting PostgreSQL ($bindir)"
    # pg_ctl -w waits for the postmaster to accept connections; the lock fd
    # is closed so the postmaster does not inherit it.
    as_service_user "$PG_OS_USER" "$bindir/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 start >/dev/null 9>&- \
      || die "PostgreSQL did not start; see $PG_LOG (tail: $(tail -n 3 "$PG_LOG" | tr '\n' ' ' | cut -c1-300))"
  fi
  wait_ready 30 PostgreSQL "$PG_LOG" pg_answers
  pg_create_databases
}

postgres_down() {
  local bindir
  pg_private_running || return 0
  bindir=$(pg_bindir) || die "pg_ctl not found (postgresql package missing?)"
  info "stopping PostgreSQL (pid $(pid_of "$PG_DATA/postmaster.pid"))"
  # fast = roll back open transactions and shut down cleanly (fsync'd).
  local started=$SECONDS
  if ! as_service_user "$PG_OS_USER" "$bindir/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null 2>&1; then
    stop_pid PostgreSQL "$PG_DATA/postmaster.pid" 5 postgres
  fi
  info "PostgreSQL stopped in $((SECONDS - started))s"
}

# status line fields: version|address|state|instance
postgres_status() {
  local version state instance
  if pg_answers; then
    version=$(pg_psql postgres 'show server_version' 2>/dev/null | awk '{print $1}')
    state=up
  else
    version=$( (bin=$(pg_bindir) && "$bin/postgres" --version | awk '{print $3}') 2>/dev/null || echo '?')
    state=DOWN
  fi
  if pg_private_running; then
    instance="private (pid $(pid_of "$PG_DATA/postmaster.pid"))"
  elif [[ $state == up ]]; then
    instance=reused
  else
    instance=-
  fi
  echo "PostgreSQL|${version:-?}|$BIND_HOST:$PG_PORT|$state|$instance"
}
