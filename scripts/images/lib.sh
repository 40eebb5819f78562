# Shared by scripts/images/*.sh: the container tools and their settings.
# Sourced after scripts/lib.sh, never run.

export CONTAINERS_CONF="$ROOT/scripts/images/containers.conf"
# Our eight images (the five services, the storefront, the load generator, flag-sync), as skaffold names them: otel-shop/<service>.
# IMAGE_NAMES in @shop/contracts (a test keeps them equal).
IMAGE_SERVICES=(gateway order inventory payment notification storefront load-generator flag-sync)
NODE_VERSION=$(tr -d ' \nv' < "$ROOT/.nvmrc")
# The Dockerfile's FROM, with its ARG default (a test keeps it equal to .nvmrc).
BASE_IMAGE="node:$NODE_VERSION-alpine"

# containers_install: podman, buildah, runc, the CNI plugins and debootstrap
# (for the stand-in base) from apt, when missing (Debian's podman 4.3 /
# buildah 1.28 / runc 1.1).
containers_install() {
  local missing=() cmd
  for cmd in podman buildah runc debootstrap; do command -v "$cmd" >/dev/null 2>&1 || missing+=("$cmd"); done
  [[ -d /usr/lib/cni ]] || missing+=(containernetworking-plugins)
  (( ${#missing[@]} == 0 )) && return 0
  source "$ROOT/scripts/local/infra/install.sh"
  apt_install podman buildah runc containernetworking-plugins debootstrap
}

service_version() { node -p "require('$ROOT/services/$1/package.json').version"; }
service_image() { echo "otel-shop/$1:$(service_version "$1")"; }
