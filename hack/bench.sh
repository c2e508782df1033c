#!/usr/bin/env bash
# The one entry for every benchmark: ./hack/bench.sh NAME runs test/bench/NAME.bench.ts, which
# writes test/bench/results/NAME.json and NAME.md. Without NAME it lists the benchmarks.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

available() {
  local f names=()
  for f in test/bench/*.bench.ts; do
    [ -e "$f" ] || continue
    f=${f##*/}
    names+=("${f%.bench.ts}")
  done
  echo "${names[*]:-none}"
}

[ $# -ge 1 ] || die "usage: hack/bench.sh NAME  (available benchmarks: $(available))"
name=$1
shift
file="test/bench/$name.bench.ts"
[ -f "$file" ] || die "no benchmark '$name' ($file does not exist); available benchmarks: $(available)"

"$ROOT/hack/setup.sh" || die "setup failed"

log "benchmark $name"
# --expose-gc lets benchmarks measure memory after a full collection.
NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--expose-gc" exec npx tsx "$file" "$@"
