#!/usr/bin/env bash
# Prints a directory holding a `node` of the pinned major (24), for PATH.
# Uses the system Node when it is new enough; otherwise provisions the exact
# version in .nvmrc from the npm registry (the `node` package ships the
# binary) into the cache, once.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

want=$(tr -d ' \nv' < "$ROOT/.nvmrc")
major=${want%%.*}
if command -v node >/dev/null 2>&1 && [[ $(node -p 'process.versions.node.split(".")[0]' 2>/dev/null) == "$major" ]]; then
  dirname "$(command -v node)"; exit 0
fi
dir="$CACHE_DIR/node-$want"
if [[ ! -x $dir/bin/node ]]; then
  need_cmd npm "install npm (apt-get install npm) so Node $want can be fetched from the npm registry"
  info "provisioning Node $want from the npm registry into $dir"
  rm -rf "$dir.tmp"; mkdir -p "$dir.tmp"
  npm install --prefix "$dir.tmp" --no-save --no-audit --no-fund --loglevel=error "node@$want" >&2 \
    || die "could not install node@$want from the npm registry"
  real=$(readlink -f "$dir.tmp/node_modules/.bin/node")
  [[ $("$real" --version) == "v$want" ]] || die "node@$want from npm did not produce a working binary ($real)"
  rm -rf "$dir" && mv "$dir.tmp" "$dir" && mkdir -p "$dir/bin"
  ln -sf "$(readlink -f "$dir/node_modules/.bin/node")" "$dir/bin/node"
fi
echo "$dir/bin"
