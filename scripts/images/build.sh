#!/usr/bin/env bash
# `make images`: the seven images (five services, the storefront, the load generator) from the one Dockerfile, as
# skaffold builds them (context ., build arg SERVICE), tagged
# otel-shop/<service>:<version>, with buildah. Prints each image's size and
# build time. The base comes first (scripts/images/base.sh).
#
#   bash scripts/images/build.sh [service...]   (default: all seven)
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
source "$ROOT/scripts/images/lib.sh"

bash "$ROOT/scripts/images/base.sh"
services=("$@")
(( ${#services[@]} )) || services=("${IMAGE_SERVICES[@]}")
cd "$ROOT"
printf '%-14s %-30s %10s %8s\n' SERVICE IMAGE SIZE BUILD >&2
for svc in "${services[@]}"; do
  image=$(service_image "$svc")
  started=$EPOCHREALTIME
  # --pull=never: the base is the local one; --network=host: RUN steps reach
  # the npm registry without a bridge (none is made); --layers: cache steps.
  buildah bud --quiet --pull=never --layers --network=host \
    -f Dockerfile --build-arg "SERVICE=$svc" -t "$image" . >/dev/null \
    || die "building $image failed (buildah bud ... --build-arg SERVICE=$svc)"
  size=$(podman image inspect --format '{{.Size}}' "$image")
  awk -v s="$svc" -v i="$image" -v b="$size" -v t0="$started" -v t1="$EPOCHREALTIME" \
    'BEGIN { printf "%-14s %-30s %8.1fMB %7.1fs\n", s, i, b / 1e6, t1 - t0 }' >&2
done
