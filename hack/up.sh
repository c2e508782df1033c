#!/usr/bin/env bash
# Starts a Skiff cluster on this machine in the background and says how to use it:
# setup, the demo images loaded into every node, then `skiff up` (control plane, runtime, agent).
# `--nodes N` adds N-1 nodes, each in a network namespace of its own, joined over the network;
# any other argument goes to `skiff up` (see `skiff up --help`). SKIFF_SETUP=0 skips the setup
# step when the tree is known to be built (the tests do that).
# Data stays in $SKIFF_HOME (default ~/.skiff) across ./hack/down.sh and a later up.sh.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
nodes=1
up_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) [ $# -ge 2 ] || die "--nodes needs a number"; nodes=$2; shift 2 ;;
    --nodes=*) nodes=${1#--nodes=}; shift ;;
    *) up_args+=("$1"); shift ;;
  esac
done
[[ "$nodes" =~ ^[1-9][0-9]*$ ]] || die "--nodes must be a whole number above 0, not '$nodes'"
[ "${SKIFF_SETUP:-1}" = 0 ] || "$ROOT/hack/setup.sh"
skiff() { node "$ROOT/dist/skiff/main.js" "$@"; }

mkdir -p "$SKIFF_HOME/images"
if [ ! -f "$SKIFF_HOME/images/demo-web-v1.tar" ]; then
  log "building the demo images"
  sh "$ROOT/hack/images/build.sh" "$SKIFF_HOME/images" >/dev/null
  log "loading the demo images into the node"
  skiff images import --home "$SKIFF_HOME" "$SKIFF_HOME"/images/*.tar >/dev/null
fi

skiff up --home "$SKIFF_HOME" --nodes "$nodes" "${up_args[@]}"

# The other nodes' runtimes run now; each gets the demo images too (importing twice is harmless).
if [ "$nodes" -gt 1 ]; then
  log "loading the demo images into the other nodes"
  for machine in "$SKIFF_HOME"/machines/*/; do
    skiff images import --home "$machine" "$SKIFF_HOME"/images/*.tar >/dev/null
  done
fi

server=$(sed -n 's/^ *server: *//p' "$SKIFF_HOME/kubeconfig" | head -1)
cat <<MSG
Hello from Skiff. The API server is at $server and this cluster has $nodes node(s).

  export KUBECONFIG=$SKIFF_HOME/kubeconfig
  kubectl get nodes
  kubectl apply -f $ROOT/manifests/demo.yaml
  kubectl rollout status deployment/web
  kubectl get pods -o wide

Stop it with ./hack/down.sh (data is kept; --purge removes it).
MSG
