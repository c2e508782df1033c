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
passed=$(node -e 'const r=require(process.argv[1]);console.log(r.numPassedTests??0)' "$report" 2>/dev/null || echo 0)
failed=$(node -e 'const r=require(process.argv[1]);console.log((r.numFailedTests??0))' "$report" 2>/dev/null || echo 0)
rm -f "$report"
if [ "$vitest_status" != 0 ] && [ "$failed" = 0 ]; then failed=1; fi # a suite that failed to load
[ "$status" != 0 ] && log "type-check or lint failed"
echo "$passed passed, $failed failed"
[ "$status" = 0 ] && [ "$vitest_status" = 0 ]
