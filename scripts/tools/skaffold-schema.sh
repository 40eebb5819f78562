#!/usr/bin/env bash
# Fetches the JSON schema of skaffold's config format (skaffold/v4beta14)
# from the skaffold module on the Go module proxy (checksum-verified by the
# go command), into the cache once per skaffold version, and prints its
# path. The tests validate skaffold.yaml against it; `make doctor` reads the
# first skaffold release that understands it from the same module.
#
#   bash scripts/tools/skaffold-schema.sh           the schema's path
#   bash scripts/tools/skaffold-schema.sh --since   the first skaffold version that reads it
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

dir="$CACHE_DIR/skaffold-schema-$SKAFFOLD_VERSION"
if [[ ! -f $dir/.complete ]]; then
  need_cmd go "install Go 1.24+ (apt-get install golang, or from go.dev): the schema comes from the Go module proxy"
  need_cmd unzip "apt-get install unzip"
  info "fetching the skaffold $SKAFFOLD_VERSION module (for its $SKAFFOLD_SCHEMA schema) from the Go module proxy"
  zip=$(go mod download -json "github.com/GoogleContainerTools/skaffold/v2@$SKAFFOLD_VERSION" | sed -n 's/^[[:space:]]*"Zip": "\(.*\)",$/\1/p')
  [[ -f $zip ]] || die "could not download github.com/GoogleContainerTools/skaffold/v2@$SKAFFOLD_VERSION from the Go module proxy"
  prefix="github.com/GoogleContainerTools/skaffold/v2@$SKAFFOLD_VERSION/docs-v2/content/en/schemas"
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/skaffold-schema.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  unzip -p "$zip" "$prefix/$SKAFFOLD_SCHEMA.json" > "$tmp/$SKAFFOLD_SCHEMA.json"
  unzip -p "$zip" "$prefix/version-mappings/$SKAFFOLD_SCHEMA-version.json" > "$tmp/$SKAFFOLD_SCHEMA-version.json"
  [[ -s $tmp/$SKAFFOLD_SCHEMA.json ]] || die "the skaffold $SKAFFOLD_VERSION module has no $SKAFFOLD_SCHEMA schema"
  touch "$tmp/.complete"
  rm -rf "$dir"; mkdir -p "$(dirname "$dir")"; mv "$tmp" "$dir"
fi
if [[ ${1:-} == --since ]]; then
  sed -n 's/.*"binVersion":"\([^"]*\)".*/\1/p' "$dir/$SKAFFOLD_SCHEMA-version.json"
else
  echo "$dir/$SKAFFOLD_SCHEMA.json"
fi
