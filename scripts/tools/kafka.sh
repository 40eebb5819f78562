#!/usr/bin/env bash
# Resolves Apache Kafka's jars from Maven Central into the cache, once per
# version, and prints the lib directory. The kafka_2.13 POM does
# not carry the logging binding the distribution tarball ships, so we add
# log4j2's slf4j binding ourselves (Kafka 4.x logs through log4j2).
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

LOG4J_VERSION=2.25.2
# Transitively an old slf4j-api 1.7 wins (via scala-logging); the log4j2
# binding needs slf4j 2.x, as the Kafka distribution ships.
SLF4J_VERSION=2.0.17
# broker: the broker (kafka_2.13); tools: the command-line tools (kafka-tools:
# kafka-topics.sh's TopicCommand), which the broker does not depend on.
case ${1:-broker} in
  broker) artifact=kafka_$KAFKA_SCALA libs="$CACHE_DIR/kafka-$KAFKA_SCALA-$KAFKA_VERSION/libs" ;;
  tools) artifact=kafka-tools libs="$CACHE_DIR/kafka-tools-$KAFKA_VERSION/libs" ;;
  *) die "usage: kafka.sh [broker|tools]" ;;
esac
if [[ -f $libs/.complete ]]; then echo "$libs"; exit 0; fi
need_cmd java "install a JDK 17+ (apt-get install openjdk-17-jre-headless)"
need_cmd mvn "install Maven (apt-get install maven)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
info "resolving Kafka $KAFKA_VERSION jars ($artifact) from Maven Central"
cat > "$work/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.otel-shop</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>1</version>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>$artifact</artifactId>
      <version>$KAFKA_VERSION</version>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-api</artifactId>
      <version>$SLF4J_VERSION</version>
    </dependency>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-slf4j2-impl</artifactId>
      <version>$LOG4J_VERSION</version>
    </dependency>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-core</artifactId>
      <version>$LOG4J_VERSION</version>
    </dependency>
  </dependencies>
</project>
POM
rm -rf "$libs"; mkdir -p "$libs"
mvn -q -B -f "$work/pom.xml" dependency:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$libs" >&2 \
  || die "could not resolve org.apache.kafka:$artifact:$KAFKA_VERSION from Maven Central"
touch "$libs/.complete"
echo "$libs"
