# Apache Kafka: single-node KRaft broker+controller from the Maven Central
# jars that scripts/tools/kafka.sh caches, or a broker already answering
# on 127.0.0.1:9092. Sourced by scripts/local/infra.sh.

KAFKA_DIR="$STATE_DIR/kafka"
KAFKA_DATA="$KAFKA_DIR/data"
KAFKA_PROPS="$KAFKA_DIR/server.properties"
KAFKA_LOG4J="$KAFKA_DIR/log4j2.xml"
KAFKA_PID="$KAFKA_DIR/kafka.pid"
KAFKA_LOG="$LOG_DIR/kafka.log"
KAFKA_MIN_JAVA=17   # the 4.x broker jars are Java 17 class files

# java_major <java binary>: 17, 21, 25...
java_major() {
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'
}

# First Java >= 17 of: $JAVA_HOME, PATH, /usr/lib/jvm/*.
kafka_java() {
  local j m
  for j in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java 2>/dev/null)" /usr/lib/jvm/*/bin/java; do
    [[ -n $j && -x $j ]] || continue
    m=$(java_major "$j")
    if [[ -n $m ]] && (( m >= KAFKA_MIN_JAVA )); then echo "$j"; return 0; fi
  done
  return 1
}

# The cached jars directory, without ever triggering a slow resolve in `up`.
kafka_private_running() { pid_alive "$KAFKA_PID" kafka.Kafka; }

kafka_libs() {
  local libs="$CACHE_DIR/kafka-$KAFKA_SCALA-$KAFKA_VERSION/libs"
  [[ -f $libs/.complete ]] || return 1
  echo "$libs"
}

kafka_install() {
  kafka_java >/dev/null \
    || die "Kafka needs Java $KAFKA_MIN_JAVA+ and none was found: apt-get install openjdk-17-jre-headless (or set JAVA_HOME)"
  if ! kafka_libs >/dev/null; then
    need_cmd mvn "apt-get install maven (needed once to fetch the Kafka $KAFKA_VERSION jars from Maven Central)"
    bash "$ROOT/scripts/tools/kafka.sh" >/dev/null
  fi
}

kafka_write_conf() {
  cat > "$KAFKA_PROPS" <<PROPS
# Written by scripts/local/infra/kafka.sh on every 'up'; edit there.
process.roles=broker,controller
node.id=1
listeners=PLAINTEXT://$BIND_HOST:$KAFKA_PORT,CONTROLLER://$BIND_HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$BIND_HOST:$KAFKA_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
controller.quorum.bootstrap.servers=$BIND_HOST:$KAFKA_CONTROLLER_PORT
log.dirs=$KAFKA_DATA
# One node: every internal topic has exactly one replica.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
min.insync.replicas=1
default.replication.factor=1
# Consumers join immediately instead of waiting 3 s for more members.
group.initial.rebalance.delay.ms=0
num.partitions=3
auto.create.topics.enable=true
# Small footprint for a laptop / CI host.
num.network.threads=2
num.io.threads=4
log.retention.hours=24
log.segment.bytes=104857600
PROPS
  # Our own log4j2 config: the Maven jars ship none, and we want one INFO
  # file in .local/logs rather than the distribution's five. No log4j
  # shutdown hook: it raced Kafka's own, and the last shutdown lines were lost.
  cat > "$KAFKA_LOG4J" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by scripts/local/infra/kafka.sh on every 'up'; edit there. -->
<Configuration status="WARN" shutdownHook="disable">
  <Appenders>
    <File name="file" fileName="$KAFKA_LOG" append="true">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
    </File>
  </Appenders>
  <Loggers>
    <Root level="INFO"><AppenderRef ref="file"/></Root>
    <Logger name="kafka.request.logger" level="WARN"/>
    <Logger name="state.change.logger" level="WARN"/>
    <Logger name="kafka.log.LogCleaner" level="WARN"/>
  </Loggers>
</Configuration>
XML
}

kafka_run_tool() { # kafka_run_tool <java> <libs> <main class> <args...>
  local java=$1 libs=$2; shift 2
  "$java" -Xmx256m -Dlog4j2.configurationFile="$KAFKA_LOG4J" -cp "$libs/*" "$@"
}

# Format the KRaft storage once; meta.properties marks a formatted dir, and
# re-formatting would throw away every topic.
kafka_format() {
  local java=$1 libs=$2 id
  [[ -f $KAFKA_DATA/meta.properties ]] && return 0
  id=$(kafka_run_tool "$java" "$libs" kafka.tools.StorageTool random-uuid 2>>"$KAFKA_LOG" | tail -n1)
  [[ -n $id ]] || die "kafka StorageTool random-uuid failed; see $KAFKA_LOG"
  info "formatting Kafka storage (cluster id $id)"
  kafka_run_tool "$java" "$libs" kafka.tools.StorageTool format --standalone \
      -t "$id" -c "$KAFKA_PROPS" >>"$KAFKA_LOG" 2>&1 \
    || die "kafka StorageTool format failed; see $KAFKA_LOG"
}

# Ready = the startup line logged by *this* run (the log is appended across
# restarts, hence the byte offset) and a real ApiVersions answer on 9092.
kafka_ready_since() { # kafka_ready_since <byte offset>
  tail -c +"$(( $1 + 1 ))" "$KAFKA_LOG" 2>/dev/null | grep -q 'Kafka Server started' \
    && kafka_api_probe "$KAFKA_PORT"
}

kafka_up() {
  local java libs offset
  if kafka_private_running; then
    # Started earlier (possibly still booting): wait for the broker itself.
    wait_started 60 Kafka "$KAFKA_LOG" kafka_private_running kafka_api_probe "$KAFKA_PORT"
    return 0
  fi
  if port_open "$KAFKA_PORT"; then
    kafka_api_probe "$KAFKA_PORT" \
      || die "something on $BIND_HOST:$KAFKA_PORT does not answer a Kafka ApiVersions request; stop it to let us start Kafka there"
    info "Kafka: reusing the broker already on $BIND_HOST:$KAFKA_PORT"
    return 0
  fi
  java=$(kafka_java) || die "Kafka needs Java $KAFKA_MIN_JAVA+; run: bash scripts/local/infra.sh install"
  libs=$(kafka_libs) || die "Kafka $KAFKA_VERSION jars are not cached yet; run: bash scripts/local/infra.sh install"
  ensure_state_dirs
  mkdir -p "$KAFKA_DATA"
  touch "$KAFKA_LOG"
  kafka_write_conf
  kafka_format "$java" "$libs"
  offset=$(stat -c %s "$KAFKA_LOG")
  info "starting Kafka $KAFKA_VERSION ($java)"
  # preferIPv4Stack: listen on a plain IPv4 socket (ss shows 127.0.0.1, not
  # ::ffff:127.0.0.1); the JVM's stdout/stderr go to the same log file.
  spawn_daemon "$KAFKA_PID" "$KAFKA_LOG" \
    "$java" -Xms256m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true -Djava.net.preferIPv4Stack=true \
    -Dlog4j2.configurationFile="$KAFKA_LOG4J" -Dkafka.logs.dir="$LOG_DIR" \
    -cp "$libs/*" kafka.Kafka "$KAFKA_PROPS" \
    || die "Kafka did not start; see $KAFKA_LOG"
  wait_started 90 Kafka "$KAFKA_LOG" kafka_private_running kafka_ready_since "$offset"
}

kafka_down() {
  # SIGTERM triggers a controlled shutdown; combined mode takes a few seconds.
  stop_pid Kafka "$KAFKA_PID" 45 kafka.Kafka
}

# Version of the running private broker as it logged it at start, else the
# version of the cached jars.
kafka_version() {
  local v libs
  v=$(grep -o 'Kafka version: [0-9][^ ]*' "$KAFKA_LOG" 2>/dev/null | tail -n1 | awk '{print $3}')
  if [[ -z $v ]] && libs=$(kafka_libs); then
    v=$(unzip -p "$libs/kafka-clients-$KAFKA_VERSION.jar" kafka/kafka-version.properties 2>/dev/null \
      | sed -n 's/^version=//p')
  fi
  echo "${v:-?}"
}

kafka_status() {
  local version state instance
  if kafka_api_probe "$KAFKA_PORT"; then state=up; else state=DOWN; fi
  if kafka_private_running; then
    instance="private (pid $(pid_of "$KAFKA_PID"))"; version=$(kafka_version)
  elif [[ $state == up ]]; then
    instance=reused; version="? (external)"
  else
    instance=-; version=$(kafka_version)
  fi
  echo "Kafka|$version|$BIND_HOST:$KAFKA_PORT|$state|$instance"
}
