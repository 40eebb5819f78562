#!/usr/bin/env bash
# Builds flagd (github.com/open-feature/flagd, the flag daemon `make local`
# runs for the fault flags) from the Go module proxy into the cache, once per
# version, and prints the binary's path. Two changes to upstream's source,
# each a script under scripts/tools/flagd/ that refuses a source it does not
# expect: its listeners bind $SHOP_FLAGD_BIND_HOST (flagd has no option for
# that), and its Kubernetes sync provider is left out (its dependency is not
# on the module proxy). The version, commit and date `flagd version` prints
# are the release's, from the proxy's record of it.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
module=github.com/open-feature/flagd/flagd
bin="$CACHE_DIR/flagd-$FLAGD_VERSION/flagd"
if [[ ! -x $bin ]]; then
  need_cmd go "install Go 1.24+ (apt-get install golang, or from go.dev) to build flagd $FLAGD_VERSION from the Go module proxy"
  info=$(go mod download -json "$module@$FLAGD_VERSION" | sed -n 's/^[[:space:]]*"Info": "\(.*\)",$/\1/p')
  [[ -f $info ]] || die "could not download $module@$FLAGD_VERSION from the Go module proxy"
  commit=$(sed -n 's/.*"Hash":"\([0-9a-f]*\)".*/\1/p' "$info")
  date=$(sed -n 's/.*"Time":"\([^"]*\)".*/\1/p' "$info")
  # flagd's go.mod names core v0.15.6, which the module proxy does not serve;
  # core v0.16.0 is tagged on the very commit of flagd v0.16.0, the core the
  # release was made with in upstream's tree.
  GO_REQUIRE="github.com/open-feature/flagd/core@$FLAGD_CORE_VERSION" \
    GO_PATCHES="$module=$ROOT/scripts/tools/flagd/bind-host.sh github.com/open-feature/flagd/core=$ROOT/scripts/tools/flagd/no-kubernetes-sync.sh" \
    GO_LDFLAGS="-X main.version=${FLAGD_VERSION#v} -X main.commit=${commit:-unknown} -X main.date=$date" \
    bash "$ROOT/scripts/tools/go-module-build.sh" flagd "$module" "$FLAGD_VERSION" "$module" >/dev/null
fi
echo "$bin"
