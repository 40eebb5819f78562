#!/usr/bin/env bash
# One of the two changes our flagd build makes (scripts/tools/flagd.sh runs
# it inside a copy of github.com/open-feature/flagd/flagd's source, through
# go-module-build.sh's GO_PATCHES): flagd has no option for the address its
# four TCP listeners bind (evaluation, management, sync, OFREP: each is
# ":<port>", every interface), and `make local` binds every server to
# 127.0.0.1 only. Each ":<port>" becomes listenAddress(<port>), that is
# $SHOP_FLAGD_BIND_HOST:<port>; with the variable unset, ":<port>" as
# upstream has it.
# Fails when the source is not what this expects (a new listener, a changed
# line): a new flagd version means reading its listeners again.
set -euo pipefail

files=(
  pkg/service/flag-sync/sync_service.go
  pkg/service/flag-evaluation/connect_service.go
  pkg/service/flag-evaluation/ofrep/ofrep_service.go
)
expected=4

# count <fixed string>: lines of the module's non-test Go source holding it.
count() { { grep -rn --include='*.go' --exclude='*_test.go' -F "$1" . || true; } | grep -vc 'func listenAddress' || true; }

found=$(count 'fmt.Sprintf(":%d", ')
(( found == expected )) || {
  echo "bind-host.sh: expected $expected listeners written as fmt.Sprintf(\":%d\", ...), found $found" >&2
  grep -rn --include='*.go' --exclude='*_test.go' -F 'fmt.Sprintf(":%d", ' . >&2 || true
  exit 1
}

for file in "${files[@]}"; do
  [[ -f $file ]] || { echo "bind-host.sh: no $file in this flagd" >&2; exit 1; }
  sed -i 's/fmt\.Sprintf(":%d", \([A-Za-z.]*\))/listenAddress(\1)/g' "$file"
  dir=$(dirname "$file")
  package=$(sed -n 's/^package \([a-z_]*\)$/\1/p' "$file" | head -n1)
  cat > "$dir/shop_listen_address.go" <<GO
// Added by otel-shop's build of flagd (scripts/tools/flagd/bind-host.sh).

package $package

import (
	"fmt"
	"net"
	"os"
)

// listenAddress is the address a listener on port binds: SHOP_FLAGD_BIND_HOST
// (unset: every interface, as upstream).
func listenAddress(port any) string {
	return net.JoinHostPort(os.Getenv("SHOP_FLAGD_BIND_HOST"), fmt.Sprint(port))
}
GO
done

left=$(count '":%d"')
rewritten=$(count 'listenAddress(')
(( left == 0 && rewritten == expected )) || {
  echo "bind-host.sh: $rewritten of $expected listeners rewritten, $left left as \":%d\"" >&2
  exit 1
}
