#!/bin/sh
# Entrypoint of the test-only redis image: as the official image's, flags
# alone mean redis-server with those flags.
set -eu
case "${1:-}" in -*|'') set -- redis-server "$@" ;; esac
exec "$@"
