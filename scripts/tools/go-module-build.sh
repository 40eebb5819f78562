#!/usr/bin/env bash
# Builds commands of a Go module from the Go module proxy into the cache, once
# per version, and prints the directory holding them. `go install pkg@version`
# refuses modules whose go.mod has `replace` directives, so this builds in a
# throwaway tool module that carries the upstream's (non-local) replaces.
#
#   bash scripts/tools/go-module-build.sh NAME MODULE VERSION PKG...
#     env: GO_TAGS (build tags), GO_LDFLAGS (extra ldflags), CGO_ENABLED (default 0),
#          GO_REQUIRE (module@version ..., required first: a dependency at a
#          version the proxy serves, when it refuses the one upstream names),
#          GO_PATCHES (module=script ...: each script runs inside a writable
#          copy of that module's source (MODULE or a dependency, at the version
#          the build resolves), which is then built in its place; for what
#          upstream has no option for. A script fails when the source is not
#          what it expects, so a new version is read again, not patched blindly)
#     each PKG (a package path in MODULE) becomes $CACHE_DIR/NAME-VERSION/<last path element>
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

name=${1:?usage: go-module-build.sh NAME MODULE VERSION PKG...}
module=${2:?module}
version=${3:?version}
shift 3
(( $# )) || die "go-module-build.sh: no package to build"
dir="$CACHE_DIR/$name-$version"
missing=()
for pkg in "$@"; do [[ -x $dir/${pkg##*/} ]] || missing+=("$pkg"); done
if (( ${#missing[@]} == 0 )); then echo "$dir"; exit 0; fi
need_cmd go "install Go 1.24+ (apt-get install golang, or from go.dev)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
info "building ${missing[*]##*/} ($module $version) from the Go module proxy"
cd "$work"
go mod init "local/$name-build" >/dev/null 2>&1
upstream_mod=$(go mod download -json "$module@$version" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
[[ -f $upstream_mod ]] || die "could not download $module@$version from the Go module proxy"
# Single-line and block replaces, without the ones that point into the module's own tree.
awk '/^replace \($/ {block=1; next} block && /^\)$/ {block=0; next} block {print "replace " $0; next} /^replace / {print}' "$upstream_mod" \
  | grep -v '=> \.' >> go.mod || true
for required in ${GO_REQUIRE:-}; do go mod edit -require="$required"; done
if [[ -n ${GO_PATCHES:-} ]]; then
  # Resolved from the go.mod files alone: a package of a module the patch
  # removes is never loaded, so the proxy need not serve it.
  go mod edit -require="$module@$version"
  for patch in $GO_PATCHES; do
    patched=${patch%%=*} script=${patch#*=}
    at=$(go list -m -f '{{.Version}}' "$patched") || die "$patched is not a dependency of $module@$version"
    src=$(go mod download -json "$patched@$at" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
    [[ -d $src ]] || die "could not download $patched@$at from the Go module proxy"
    copy="patched/${patched//\//_}"
    mkdir -p patched && cp -r "$src" "$copy" && chmod -R u+w "$copy"
    info "patching $patched $at: ${script#"$ROOT"/}"
    (cd "$copy" && bash "$script") >&2 || die "${script#"$ROOT"/} does not apply to $patched $at"
    go mod edit -replace "$patched=./$copy"
  done
fi
go get "${missing[@]/%/@$version}" >&2
mkdir -p "$dir" "$work/bin"
CGO_ENABLED=${CGO_ENABLED:-0} go build -trimpath -tags "${GO_TAGS:-}" -ldflags "-s -w ${GO_LDFLAGS:-}" -o "$work/bin/" "${missing[@]}" >&2
for pkg in "${missing[@]}"; do mv "$work/bin/${pkg##*/}" "$dir/"; done
echo "$dir"
