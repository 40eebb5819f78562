#!/usr/bin/env bash
# Builds etcd (the API server's store, for shopctl's Kubernetes tests) from
# the Go module proxy into the cache, once per version; prints the binary.
# The module's own main lives in a module full of local replaces, so we
# build a three-line main around its server package instead.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

bin="$CACHE_DIR/etcd-$ETCD_VERSION/etcd"
if [[ -x $bin ]]; then echo "$bin"; exit 0; fi
need_cmd go "install Go 1.24+ (apt-get install golang, or from go.dev)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
info "building etcd $ETCD_VERSION from the Go module proxy (a few minutes the first time)"
cd "$work"
go mod init local/etcd-build >/dev/null 2>&1
cat > main.go <<'GO'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION" >&2
go mod tidy >&2
mkdir -p "$(dirname "$bin")"
CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$bin.tmp" . >&2
mv "$bin.tmp" "$bin"
echo "$bin"
