#!/usr/bin/env bash
# Generates the Strimzi custom resource definitions (Kafka, KafkaTopic,
# KafkaUser, KafkaNodePool, API kafka.strimzi.io/v1) that the tests validate
# the hand-typed kinds of cdk8s/src/constructs/strimzi.ts against, into the
# cache, once per version, and prints their directory. They come from Maven
# Central, the way Strimzi's own build makes them: its model classes
# (io.strimzi:api) run through its generator (io.strimzi:crd-generator, a
# shaded jar) with the arguments of the `generate-crd-co-install-v1`
# execution in Strimzi's api/pom.xml. The result is byte-identical to the
# CRDs Strimzi publishes with the release.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

dir="$CACHE_DIR/strimzi-crds-$STRIMZI_VERSION"
if [[ -f $dir/.complete ]]; then echo "$dir"; exit 0; fi
need_cmd mvn "install Maven (apt-get install maven): it fetches io.strimzi:api and io.strimzi:crd-generator $STRIMZI_VERSION"
java=$(java_at_least 21) \
  || die "the Strimzi $STRIMZI_VERSION CRD generator needs Java 21 or newer (none on PATH, in JAVA_HOME or /usr/lib/jvm): install a JDK 21+ (e.g. apt-get install openjdk-21-jre-headless, or Temurin 21+)"

info "generating the Strimzi $STRIMZI_VERSION CRDs from Maven Central (io.strimzi:api + io.strimzi:crd-generator)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for artifact in api crd-generator; do
  mvn -q -B -Dstyle.color=never dependency:copy -Dartifact="io.strimzi:$artifact:$STRIMZI_VERSION" -DoutputDirectory="$work/lib" >&2 \
    || die "could not fetch io.strimzi:$artifact:$STRIMZI_VERSION from Maven Central"
done
model=io.strimzi.api.kafka.model
mkdir -p "$work/out"
"$java" -cp "$work/lib/crd-generator-$STRIMZI_VERSION.jar:$work/lib/api-$STRIMZI_VERSION.jar" io.strimzi.crdgenerator.CrdGenerator \
  --label app:strimzi --label strimzi.io/crd-install:true --target-kube 1.16+ \
  --crd-api-version v1 --api-versions v1 --storage-version v1 --yaml \
  "$model.kafka.Kafka=$work/out/040-Crd-kafka.yaml" \
  "$model.topic.KafkaTopic=$work/out/043-Crd-kafkatopic.yaml" \
  "$model.user.KafkaUser=$work/out/044-Crd-kafkauser.yaml" \
  "$model.nodepool.KafkaNodePool=$work/out/045-Crd-kafkanodepool.yaml" >&2 \
  || die "the Strimzi CRD generator failed (see above)"
touch "$work/out/.complete"
rm -rf "$dir"; mkdir -p "$(dirname "$dir")"
mv "$work/out" "$dir"
echo "$dir"
