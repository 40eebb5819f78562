#!/bin/sh
# The test-only stand-in for the scripts of the Kafka distribution in the
# apache/kafka image (/opt/kafka/bin), which the chart runs when it runs Kafka
# itself: the image is on no reachable registry, and the distribution
# tarball is on no reachable site, so the jars come from Maven Central.
# Installed as kafka-server-start.sh, kafka-storage.sh and kafka-topics.sh;
# each runs its class as the distribution's would, with KAFKA_HEAP_OPTS, and
# logs to stdout (the pod's log).
set -eu
case $(basename "$0") in
  kafka-server-start.sh) main=kafka.Kafka ;;
  kafka-storage.sh) main=kafka.tools.StorageTool ;;
  kafka-topics.sh) main=org.apache.kafka.tools.TopicCommand ;;
  *) echo "kafka-bin.sh: unknown command $(basename "$0")" >&2; exit 2 ;;
esac
set -f # the class path wildcard is for java, not the shell
exec java ${KAFKA_HEAP_OPTS:--Xmx256m} -Dlog4j2.configurationFile=/opt/kafka/config/log4j2.xml -cp '/opt/kafka/libs/*' "$main" "$@"
