# Jaeger v2: the binary scripts/tools/jaeger.sh builds into the cache, run
# with a loopback-only config and in-memory storage, or a Jaeger already
# answering on 127.0.0.1:16686. Sourced by scripts/local/infra.sh.

JAEGER_DIR="$STATE_DIR/jaeger"
JAEGER_CONF="$JAEGER_DIR/config.yaml"
JAEGER_PID="$JAEGER_DIR/jaeger.pid"
JAEGER_LOG="$LOG_DIR/jaeger.log"
JAEGER_OTLP_GRPC_PORT=4317
JAEGER_OTLP_HTTP_PORT=4318
JAEGER_QUERY_GRPC_PORT=16685
JAEGER_HEALTH_PORT=13133
JAEGER_METRICS_PORT=8888
# Where the services' metrics (and span-derived RED metrics) are served.
JAEGER_PROM_PORT=8889

# The cached binary, without ever triggering the 10-30 min build in `up`.
jaeger_bin() {
  local bin="$CACHE_DIR/jaeger-$JAEGER_MODULE_VERSION/jaeger"
  [[ -x $bin ]] || return 1
  echo "$bin"
}

jaeger_private_running() { pid_alive "$JAEGER_PID" jaeger; }

jaeger_answers() {
  curl -sf -m 3 -o /dev/null "http://$BIND_HOST:$JAEGER_QUERY_PORT/api/services"
}

jaeger_install() {
  jaeger_bin >/dev/null && return 0
  need_cmd go "install Go 1.24+ (https://go.dev/dl or apt-get install golang) to build Jaeger $JAEGER_MODULE_VERSION from the Go module proxy"
  bash "$ROOT/scripts/tools/jaeger.sh" >/dev/null
}

# Every listener is spelled out: the upstream defaults bind all interfaces
# (query UI, telemetry 8888) or localhost, which can mean ::1.
jaeger_write_conf() {
  cat > "$JAEGER_CONF" <<YAML
# Written by scripts/local/infra/jaeger.sh on every 'up'; edit there.
service:
  extensions: [jaeger_storage, jaeger_query, healthcheckv2]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter, spanmetrics]
    # Local mode has no separate collector: Jaeger (itself a collector build)
    # takes the services' metrics too, plus RED metrics derived from spans,
    # and serves them for scraping on $BIND_HOST:$JAEGER_PROM_PORT/metrics.
    metrics:
      receivers: [otlp, spanmetrics]
      processors: [batch]
      exporters: [prometheus]
    # Logs are read from the files under .local/logs; OTLP logs are accepted
    # so the services' exporters succeed, and dropped.
    logs:
      receivers: [otlp]
      exporters: [nop]
  telemetry:
    resource:
      service.name: jaeger
    metrics:
      level: basic
      readers:
        - pull:
            exporter:
              prometheus:
                host: $BIND_HOST
                port: $JAEGER_METRICS_PORT
    logs:
      level: info

extensions:
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: 100000
  jaeger_query:
    storage:
      traces: memstore
    # Self-tracing (on by default in v2) exports Jaeger's own spans to
    # localhost:4317, i.e. into itself: noise in the service list, and a 10 s
    # stall on shutdown while it retries its own closed receiver.
    enable_tracing: false
    http:
      endpoint: $BIND_HOST:$JAEGER_QUERY_PORT
    grpc:
      endpoint: $BIND_HOST:$JAEGER_QUERY_GRPC_PORT
  healthcheckv2:
    use_v2: true
    http:
      endpoint: $BIND_HOST:$JAEGER_HEALTH_PORT

receivers:
  otlp:
    protocols:
      grpc:
        endpoint: $BIND_HOST:$JAEGER_OTLP_GRPC_PORT
      http:
        endpoint: $BIND_HOST:$JAEGER_OTLP_HTTP_PORT

processors:
  batch:

connectors:
  spanmetrics:

exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
  prometheus:
    endpoint: $BIND_HOST:$JAEGER_PROM_PORT
    resource_to_telemetry_conversion:
      enabled: true
  nop:
YAML
}

jaeger_up() {
  local bin
  if jaeger_private_running; then
    :
  elif port_open "$JAEGER_QUERY_PORT"; then
    jaeger_answers || die "something on $BIND_HOST:$JAEGER_QUERY_PORT does not answer Jaeger's /api/services; stop it to let us start Jaeger there"
    port_open "$JAEGER_OTLP_HTTP_PORT" || die "the Jaeger on $BIND_HOST:$JAEGER_QUERY_PORT has no OTLP/HTTP receiver on $BIND_HOST:$JAEGER_OTLP_HTTP_PORT"
    info "Jaeger: reusing the instance already on $BIND_HOST:$JAEGER_QUERY_PORT"
  else
    bin=$(jaeger_bin) || die "Jaeger $JAEGER_MODULE_VERSION is not built yet; run: bash scripts/local/infra.sh install (10-30 min the first time)"
    ensure_state_dirs
    mkdir -p "$JAEGER_DIR"
    jaeger_write_conf
    info "starting Jaeger ($bin)"
    spawn_daemon "$JAEGER_PID" "$JAEGER_LOG" "$bin" --config "$JAEGER_CONF" \
      || die "Jaeger did not start; see $JAEGER_LOG"
  fi
  if jaeger_private_running; then
    wait_started 30 Jaeger "$JAEGER_LOG" jaeger_private_running jaeger_ready
  else
    wait_ready 30 Jaeger "$JAEGER_LOG" jaeger_ready
  fi
}

# Ready = the query API answers and the OTLP/HTTP receiver listens.
jaeger_ready() {
  jaeger_answers && port_open "$JAEGER_OTLP_HTTP_PORT"
}

jaeger_down() {
  stop_pid Jaeger "$JAEGER_PID" 15 jaeger
}

# `jaeger version` only knows versions stamped in by -ldflags, which a
# module build lacks; the Go build info always has the module version.
jaeger_version() {
  local bin v=''
  if bin=$(jaeger_bin); then
    v=$("$bin" version 2>/dev/null | sed -n 's/.*"gitVersion": *"\([^"]\+\)".*/\1/p' | head -n1)
    if [[ -z $v ]] && command -v go >/dev/null; then
      v=$(go version -m "$bin" 2>/dev/null | awk '$2 == "github.com/jaegertracing/jaeger" {print $3; exit}')
    fi
  fi
  echo "${v:-$JAEGER_MODULE_VERSION} (Jaeger v2)"
}

jaeger_status() {
  local version state instance
  if jaeger_ready; then state=up; else state=DOWN; fi
  if jaeger_private_running; then
    instance="private (pid $(pid_of "$JAEGER_PID"))"; version=$(jaeger_version)
  elif [[ $state == up ]]; then
    instance=reused; version="? (external)"
  else
    instance=-; version=$(jaeger_version)
  fi
  echo "Jaeger|$version|$BIND_HOST:$JAEGER_QUERY_PORT (OTLP $BIND_HOST:$JAEGER_OTLP_GRPC_PORT grpc, $BIND_HOST:$JAEGER_OTLP_HTTP_PORT http)|$state|$instance"
}
