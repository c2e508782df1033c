#!/usr/bin/env bash
# Starts a Skiff cluster on this machine in the background and says how to use it.
# Data stays in $SKIFF_HOME (default ~/.skiff) across ./hack/down.sh and a later up.sh.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
"$ROOT/hack/setup.sh"

mkdir -p "$SKIFF_HOME/logs"
pidfile="$SKIFF_HOME/server.pid"
if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  log "Skiff is already running (pid $(cat "$pidfile"))"
else
  log "starting the control plane (logs in $SKIFF_HOME/logs/server.log)"
  nohup node "$ROOT/dist/cli/main.js" server --home "$SKIFF_HOME" \
    >>"$SKIFF_HOME/logs/server.log" 2>&1 </dev/null &
  echo $! > "$pidfile"
fi

log "waiting for the API server to be ready"
for _ in $(seq 1 300); do
  if curl -skf https://127.0.0.1:6443/readyz >/dev/null 2>&1 && [ -f "$SKIFF_HOME/kubeconfig" ]; then
    ready=1; break
  fi
  kill -0 "$(cat "$pidfile")" 2>/dev/null || { tail -n 30 "$SKIFF_HOME/logs/server.log" >&2; die "the server exited; see $SKIFF_HOME/logs/server.log"; }
  sleep 0.2
done
[ "${ready:-}" = 1 ] || die "the API server did not become ready; see $SKIFF_HOME/logs/server.log"

cat <<MSG

Skiff is up. The API server is at https://127.0.0.1:6443.

  export KUBECONFIG=$SKIFF_HOME/kubeconfig
  kubectl get namespaces
  kubectl create configmap hello --from-literal=greeting=hi
  kubectl apply -f $ROOT/manifests/nginx-deployment.yaml
  kubectl get deployments

Stop it with ./hack/down.sh (data is kept; --purge removes it).
MSG
