#!/usr/bin/env bash
# Installs what is missing, type-checks, lints and runs every test. Ends with "N passed, N failed".
set -uo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
"$ROOT/hack/setup.sh" || die "setup failed"

status=0
log "type-checking"
npx tsc -p tsconfig.json --noEmit || status=1
log "linting"
npx eslint . || status=1

log "running the tests"
report=$(mktemp)
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@"
vitest_status=$?
count() { node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(r[process.argv[2]]??0)' "$report" "$1" 2>/dev/null || echo 0; }
passed=$(count numPassedTests)
failed=$(count numFailedTests)
rm -f "$report"
if [ "$vitest_status" != 0 ] && [ "$failed" = 0 ]; then failed=1; fi # a suite that failed to load
[ "$status" != 0 ] && log "type-check or lint failed"
echo "$passed passed, $failed failed"
[ "$status" = 0 ] && [ "$vitest_status" = 0 ]
