#!/usr/bin/env bash
# Stops what hack/up.sh started. Keeps the data unless --purge is given.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
purge=0
for arg in "$@"; do
  case "$arg" in
    --purge) purge=1 ;;
    *) die "unknown argument $arg (usage: down.sh [--purge])" ;;
  esac
done

pidfile="$SKIFF_HOME/server.pid"
if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  pid=$(cat "$pidfile")
  log "stopping the control plane (pid $pid)"
  kill -TERM "$pid"
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && { log "still running; killing"; kill -KILL "$pid"; }
else
  log "the control plane is not running"
fi
rm -f "$pidfile"
# etcd started by the server exits with it; make sure no orphan keeps the data dir.
pkill -f -- "--data-dir=$SKIFF_HOME/data/etcd" 2>/dev/null || true

if [ "$purge" = 1 ]; then
  log "removing $SKIFF_HOME"
  rm -rf "$SKIFF_HOME"
else
  log "data kept in $SKIFF_HOME (./hack/down.sh --purge removes it)"
fi
