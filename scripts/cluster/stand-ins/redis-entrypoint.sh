#!/bin/sh
# Entrypoint of the test-only redis image: as the official image's, flags
# alone mean redis-server with those flags.
set -eu
case "${1:-}" in -*|'') set -- redis-server "$@" ;; esac
# As the official image: without a config file, protected mode would refuse
# every client that is not on loopback; in a pod the network policy decides.
if [ "$1" = redis-server ]; then
  case " $* " in *" --protected-mode "*|*.conf*) ;; *) set -- "$@" --protected-mode no ;; esac
fi
exec "$@"
