#!/bin/sh
# The test-only Kafka broker of the cluster tier (the Strimzi overlay): one
# KRaft node, broker and controller, from the project's Kafka jars, with the
# settings the Kafka resource of the chart asks Strimzi for (KAFKA_CONFIG,
# one key=value per line) and the listener Strimzi would advertise.
set -eu
: "${KAFKA_NODE_ID:=0}" "${KAFKA_ADVERTISED_HOST:?}" "${KAFKA_PORT:=9092}"
data=/var/lib/kafka/data
config=/tmp/server.properties
cat > "$config" <<PROPS
process.roles=broker,controller
node.id=$KAFKA_NODE_ID
controller.quorum.bootstrap.servers=localhost:9093
listeners=PLAIN://:$KAFKA_PORT,CONTROLLER://localhost:9093
advertised.listeners=PLAIN://$KAFKA_ADVERTISED_HOST:$KAFKA_PORT
listener.security.protocol.map=PLAIN:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAIN
controller.listener.names=CONTROLLER
log.dirs=$data
${KAFKA_CONFIG:-}
PROPS
set -f # the class path wildcard is for java, not the shell
java="java -Xms${KAFKA_HEAP:-512m} -Xmx${KAFKA_HEAP:-512m} -Dlog4j2.configurationFile=/opt/kafka/log4j2.xml -cp /opt/kafka/libs/*"
if [ ! -f "$data/meta.properties" ]; then
  mkdir -p "$data"
  $java kafka.tools.StorageTool format --standalone --config "$config" --cluster-id "$($java kafka.tools.StorageTool random-uuid)"
fi
exec $java kafka.Kafka "$config"
