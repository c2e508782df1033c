#!/usr/bin/env bash
# Stops what hack/up.sh started (agent, runtime and its pods, control plane). Keeps the data
# unless --purge is given.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
purge=()
for arg in "$@"; do
  case "$arg" in
    --purge) purge=(--purge) ;;
    *) die "unknown argument $arg (usage: down.sh [--purge])" ;;
  esac
done
[ -f "$ROOT/dist/skiff/main.js" ] || "$ROOT/hack/setup.sh"
node "$ROOT/dist/skiff/main.js" down --home "$SKIFF_HOME" "${purge[@]}"
# etcd started by the server exits with it; make sure no orphan keeps the data dir.
pkill -f -- "--data-dir=$SKIFF_HOME/data/etcd" 2>/dev/null || true
[ ${#purge[@]} -gt 0 ] || log "data kept in $SKIFF_HOME (./hack/down.sh --purge removes it)"
