#!/usr/bin/env bash
# The images the real node runs besides our five (make images): built here,
# because no registry is reachable, under the names the chart references, so
# that the chart is installed as it is. Each is the same program as the image
# users pull, built from the registries (docs/stand-ins.md lists how each
# differs). Saved as docker archives for containerd, once per version.
#
#   bash scripts/cluster/stand-ins.sh     prints the directory of the archives
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
source "$ROOT/scripts/images/lib.sh"
PATH="$(bash "$ROOT/scripts/node.sh"):$PATH"

here=$ROOT/scripts/cluster
# Cached by recipe: a change to this script or to its files rebuilds.
recipe=$(cat "$here/stand-ins.sh" "$here"/stand-ins/* "$ROOT/scripts/lib.sh" | sha256sum | cut -c1-12)
out="$CACHE_DIR/cluster-images-$recipe"
mkdir -p "$out"
label=otel-shop.dev/stand-in

# image <archive name> <image name> <builder function>: build once, save once.
image() {
  local file="$out/$1.tar" name=$2; shift 2
  [[ -s $file ]] && return 0
  if [[ $(podman image inspect --format '{{index .Labels "otel-shop.dev/recipe"}}' "$name" 2>/dev/null) != "$recipe" ]]; then
    info "building the test-only image $name"
    "$@" "$name"
  fi
  podman save --quiet --format docker-archive -o "$file.tmp" "$name" && mv "$file.tmp" "$file"
}

# static <name> <binary> <path in image> <user> [entrypoint args...]: one static binary on an empty base.
static() {
  local name=$1 bin=$2 dest=$3 user=$4 c; shift 4
  [[ -x $bin ]] || die "no binary for $name (see above)"
  c=$(buildah from scratch)
  buildah copy -q "$c" "$bin" "$dest" >/dev/null
  buildah config --entrypoint "$(printf '%s\n' "$dest" "$@" | node -e 'console.log(JSON.stringify(require("fs").readFileSync(0,"utf8").trim().split("\n")))')" \
    --user "$user" --label "$label=built from the Go module proxy by scripts/cluster/stand-ins.sh" --label "otel-shop.dev/recipe=$recipe" "$c"
  buildah commit -q "$c" "$name" >/dev/null
  buildah rm "$c" >/dev/null
}

debian() {
  if ! podman image exists "$debian_base"; then
    podman import --quiet "$(bash "$ROOT/scripts/images/debian-rootfs.sh")" "$debian_base" >/dev/null
  fi
  buildah from "$debian_base"
}
apt_in() { # apt_in <container> <package...>
  local c=$1; shift
  buildah run --network host "$c" -- sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $* >/dev/null && rm -rf /var/lib/apt/lists/*"
}

build_pause() { static "$1" "$(bash "$here/pause.sh")" /pause 65535; }
build_coredns() { static "$1" "$(bash "$ROOT/scripts/tools/go-module-build.sh" coredns github.com/coredns/coredns "$COREDNS_VERSION" github.com/coredns/coredns)/coredns" /coredns 65532; }
build_collector() { static "$1" "$(bash "$here/collector.sh")" /otelcol-contrib 10001; }
build_jaeger() { static "$1" "$(bash "$ROOT/scripts/tools/jaeger.sh")" /jaeger 10001; }
build_prometheus() {
  static "$1" "$(bash "$ROOT/scripts/tools/go-module-build.sh" prometheus github.com/prometheus/prometheus "$PROMETHEUS_MODULE_VERSION" github.com/prometheus/prometheus/cmd/prometheus)/prometheus" /bin/prometheus 65534
}
# Our build of flagd (scripts/tools/flagd.sh: make local's), where the release image has /flagd-build as user 65532.
build_flagd() {
  static "$1" "$(bash "$ROOT/scripts/tools/flagd.sh")" /flagd-build 65532
}
build_alertmanager() {
  static "$1" "$(bash "$ROOT/scripts/tools/alertmanager.sh")/alertmanager" /bin/alertmanager 65534
}
build_postgres() {
  local c pg
  pg=$(bash "$here/postgres-binaries.sh")
  c=$(debian)
  # The server from Maven Central; psql and pg_isready (which the probes run) are Debian's client, 15.
  apt_in "$c" postgresql-client
  buildah copy -q "$c" "$pg" /usr/lib/postgresql/18 >/dev/null
  buildah run --network none "$c" -- sh -c 'for b in psql pg_isready; do ln -s ../../15/bin/$b /usr/lib/postgresql/18/bin/$b; done'
  buildah copy -q --chmod 0755 "$c" "$here/stand-ins/postgres-entrypoint.sh" /usr/local/bin/docker-entrypoint.sh >/dev/null
  buildah run --network none "$c" -- sh -c 'groupadd -g 999 postgres && useradd -u 999 -g 999 -d /var/lib/postgresql -s /bin/sh postgres && mkdir -p /var/lib/postgresql /var/run/postgresql /docker-entrypoint-initdb.d && chown -R 999:999 /var/lib/postgresql /var/run/postgresql'
  buildah config --env PATH=/usr/lib/postgresql/18/bin:/usr/local/bin:/usr/bin:/bin --env PGDATA=/var/lib/postgresql/18/docker \
    --entrypoint '["/usr/local/bin/docker-entrypoint.sh"]' --cmd postgres --user 999 --label "otel-shop.dev/recipe=$recipe" --label "$label=PostgreSQL $POSTGRES_BINARIES_VERSION from Maven Central (io.zonky.test.postgres), Debian bookworm's psql 15" "$c"
  buildah commit -q "$c" "$1" >/dev/null; buildah rm "$c" >/dev/null
}
build_redis() {
  local c; c=$(debian)
  apt_in "$c" redis-server
  buildah copy -q --chmod 0755 "$c" "$here/stand-ins/redis-entrypoint.sh" /usr/local/bin/docker-entrypoint.sh >/dev/null
  buildah run --network none "$c" -- sh -c 'usermod -u 999 redis && groupmod -g 999 redis && mkdir -p /data && chown 999:999 /data'
  buildah config --entrypoint '["/usr/local/bin/docker-entrypoint.sh"]' --cmd redis-server --user 999 --workingdir /data --label "otel-shop.dev/recipe=$recipe" \
    --label "$label=Debian bookworm's redis-server (7.0), not Redis 8.8" "$c"
  buildah commit -q "$c" "$1" >/dev/null; buildah rm "$c" >/dev/null
}
build_kafka() {
  local c broker tools; broker=$(bash "$ROOT/scripts/tools/kafka.sh" broker); tools=$(bash "$ROOT/scripts/tools/kafka.sh" tools)
  c=$(debian)
  apt_in "$c" openjdk-17-jre-headless
  buildah copy -q "$c" "$broker" /opt/kafka/libs >/dev/null
  buildah copy -q "$c" "$tools" /opt/kafka/libs >/dev/null
  buildah copy -q --chmod 0755 "$c" "$here/stand-ins/kafka-bin.sh" /opt/kafka/bin/kafka-bin.sh >/dev/null
  buildah copy -q "$c" "$here/stand-ins/kafka-log4j2.xml" /opt/kafka/config/log4j2.xml >/dev/null
  # The image's user: appuser, 1000, owning /opt/kafka and the data directory.
  buildah run --network none "$c" -- sh -c 'rm -f /opt/kafka/libs/.complete && cd /opt/kafka/bin && for s in kafka-server-start.sh kafka-storage.sh kafka-topics.sh; do ln -s kafka-bin.sh $s; done && groupadd -g 1000 appuser && useradd -u 1000 -g 1000 -d /home/appuser -m appuser && mkdir -p /var/lib/kafka/data && chown -R 1000:1000 /opt/kafka /var/lib/kafka'
  buildah config --user appuser --label "otel-shop.dev/recipe=$recipe" --label "$label=Apache Kafka $KAFKA_VERSION from Maven Central's jars, our scripts in place of the distribution's bin/ (the chart's kafka.operator=none)" "$c"
  buildah commit -q "$c" "$1" >/dev/null; buildah rm "$c" >/dev/null
}

# Grafana: no release can be built from the registries. A placeholder on the
# services' Node base answers its health check (the probes, skaffold's status check).
build_grafana() {
  local c; c=$(buildah from "$BASE_IMAGE")
  buildah copy -q "$c" "$here/stand-ins/grafana-placeholder.mjs" /usr/share/grafana/placeholder.mjs >/dev/null
  buildah config --entrypoint '["node", "/usr/share/grafana/placeholder.mjs"]' --cmd '' --user 472 --label "otel-shop.dev/recipe=$recipe" \
    --label "$label=a placeholder answering Grafana's health check; not Grafana" "$c"
  buildah commit -q "$c" "$1" >/dev/null; buildah rm "$c" >/dev/null
}

containers_install
bash "$ROOT/scripts/images/base.sh"
# The names come from the one image table (cdk8s/src/model/images.ts).
declare -A ref
while IFS='=' read -r key value; do ref[$key]=$value; done < <(node "$ROOT/cdk8s/bin/image-names.ts")
debian_base=${ref[test-debian]}
image pause "${ref[test-pause]}" build_pause
image coredns "${ref[test-coredns]}" build_coredns
for key in collector jaeger prometheus alertmanager flagd postgres redis kafka grafana; do image "$key" "${ref[$key]}" "build_$key"; done
echo "$out"
