#!/usr/bin/env bash
# Starts a Skiff cluster on this machine in the background and says how to use it:
# setup, the demo images loaded into the node, then `skiff up` (control plane, runtime, agent).
# Data stays in $SKIFF_HOME (default ~/.skiff) across ./hack/down.sh and a later up.sh.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
"$ROOT/hack/setup.sh"
skiff() { node "$ROOT/dist/cli/main.js" "$@"; }

mkdir -p "$SKIFF_HOME/images"
if [ ! -f "$SKIFF_HOME/images/demo-web-v1.tar" ]; then
  log "building the demo images"
  sh "$ROOT/hack/images/build.sh" "$SKIFF_HOME/images" >/dev/null
  log "loading the demo images into the node"
  skiff images import --home "$SKIFF_HOME" "$SKIFF_HOME"/images/*.tar >/dev/null
fi

skiff up --home "$SKIFF_HOME"

cat <<MSG
Hello from Skiff. The API server is at https://127.0.0.1:6443 and this machine is a node.

  export KUBECONFIG=$SKIFF_HOME/kubeconfig
  kubectl get nodes
  kubectl apply -f $ROOT/manifests/demo.yaml
  kubectl rollout status deployment/web
  kubectl get pods -o wide

Stop it with ./hack/down.sh (data is kept; --purge removes it).
MSG
