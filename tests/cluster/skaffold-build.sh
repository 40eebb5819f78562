#!/usr/bin/env bash
# skaffold's custom build in the cluster tier (tests/cluster/skaffold.ts puts
# it in place of the docker builder): the artifact's Dockerfile built with
# buildah as `make images` builds it, then pushed to the node's registry.
# skaffold sets IMAGE (the tag to build), PUSH_IMAGE and BUILD_CONTEXT; the
# tier sets SHOP_HOST_NETNS (tests/cluster/main.ts).
#
#   bash tests/cluster/skaffold-build.sh <service>
set -euo pipefail
service=${1:?usage: skaffold-build.sh <service>}
: "${IMAGE:?skaffold sets IMAGE}"
export CONTAINERS_CONF="$BUILD_CONTEXT/scripts/images/containers.conf"
# Built in the machine's network namespace, where RUN steps reach the npm
# registry (the node's namespace has no way out); pushed from the node's.
nsenter --net="${SHOP_HOST_NETNS:?the cluster tier sets SHOP_HOST_NETNS}" -- buildah bud --quiet --pull=never --layers --network=host \
  -f "$BUILD_CONTEXT/Dockerfile" --build-arg "SERVICE=$service" -t "$IMAGE" "$BUILD_CONTEXT" >/dev/null
if [[ ${PUSH_IMAGE:-} == true ]]; then
  buildah push --quiet --tls-verify=false "$IMAGE" "docker://$IMAGE"
fi
