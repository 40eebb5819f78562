# `infra.sh install`: make sure every prerequisite exists. Installs what a
# package manager can (Debian packages, cached Kafka jars, the Jaeger and
# flagd builds) and names what it cannot in one line. Fast when all is present.
# Sourced by scripts/local/infra.sh.

# apt_install <package...>: as root, or via passwordless sudo. A fresh
# machine may have no package lists yet, so one `apt-get update` is tried
# when the first install attempt fails.
apt_install() {
  local sudo=()
  command -v apt-get >/dev/null \
    || die "missing Debian package(s) $* and apt-get is unavailable: install them with your system's package manager"
  if (( EUID != 0 )); then
    sudo -n true 2>/dev/null \
      || die "missing Debian package(s) $*: run 'sudo apt-get install -y $*' (or run this as root)"
    sudo=(sudo -n)
  fi
  info "installing $* with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  if ! "${sudo[@]}" apt-get install -y -q --no-install-recommends "$@" >&2; then
    info "apt-get install failed; refreshing the package lists once"
    "${sudo[@]}" apt-get update -q >&2 \
      && "${sudo[@]}" apt-get install -y -q --no-install-recommends "$@" >&2 \
      || die "could not install $* with apt-get (see the output above)"
  fi
}

# The storefront's browser test drives Debian's Chromium (playwright-core
# with its executablePath): nothing downloads a browser.
STOREFRONT_CHROMIUM=${STOREFRONT_CHROMIUM:-/usr/bin/chromium}

chromium_install() {
  [[ -x $STOREFRONT_CHROMIUM ]] && return 0
  apt_install chromium
}

infra_install() {
  need_cmd curl "apt-get install curl (used to probe Jaeger)"
  need_cmd timeout "apt-get install coreutils"
  if (( EUID == 0 )); then need_cmd runuser "apt-get install util-linux (runs postgres as its own user)"; fi
  postgres_install
  redis_install
  kafka_install
  jaeger_install
  flagd_install
  chromium_install
  info "infrastructure prerequisites are present"
}
