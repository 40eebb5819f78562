#!/usr/bin/env bash
# A Debian bookworm root filesystem (debootstrap --variant=minbase) as a tar
# in the cache, made once; prints its path. The stand-in base of the service
# images and the test-only images of the cluster tier start from it.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

tar_file="$CACHE_DIR/stand-in-base/debian-bookworm-minbase.tar"
if [[ -s $tar_file ]]; then echo "$tar_file"; exit 0; fi
need_cmd debootstrap "apt-get install debootstrap (the stand-in images start from a Debian root filesystem)"
mirror=$(sed -n 's/^URIs: \(http[^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1)
mirror=${mirror:-http://deb.debian.org/debian}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
info "debootstrap --variant=minbase bookworm from $mirror (about a minute)"
debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" >&2 || die "debootstrap failed (see above)"
rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb
mkdir -p "$(dirname "$tar_file")"
tar -C "$work/rootfs" -cf "$tar_file.tmp" . && mv "$tar_file.tmp" "$tar_file"
echo "$tar_file"
