#!/usr/bin/env bash
# Every test, from a fresh clone with only Node and npm: install, start PostgreSQL and Docker, build, lint,
# typecheck, unit and integration tests against the real services, API docs (warnings are errors), and the
# packed-package checks. Fails on the first failing step. The last line is "tests: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
export CI="${CI:-}"
pnpm() { npx -y pnpm@10 "$@"; }
step() { printf '\n\033[1m== %s\033[0m  (%ss)\n' "$1" "$SECONDS" >&2; }
mkdir -p .tmp

step "install"
if [ -n "$CI" ]; then pnpm install --frozen-lockfile; else pnpm install; fi

step "start PostgreSQL and Docker (scripts/test-services.sh)"
# An assignment, so that a failure stops here (set -e ignores one inside eval "$(...)"); only export lines are run.
service_env="$(bash scripts/test-services.sh --env)"
eval "$(grep '^export ' <<<"$service_env")"

step "build"
pnpm run build

step "lint"
pnpm run lint

step "typecheck"
pnpm run typecheck

counts() { node -e '
  const r = require(process.argv[1]);
  console.log(r.numPassedTests, r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0), r.numPendingTests + r.numTodoTests);
' "$1"; }

step "unit tests"
status=0
npx vitest run --project unit --reporter=default --reporter=json --outputFile.json=.tmp/unit.json || status=$?
read -r up uf us < <(counts "$PWD/.tmp/unit.json")

step "integration tests (real PostgreSQL and Docker)"
npx vitest run --project int --reporter=default --reporter=json --outputFile.json=.tmp/int.json || status=$?
read -r ip if is < <(counts "$PWD/.tmp/int.json")

if [ "$status" = 0 ]; then
  step "API docs (typedoc, warnings are errors)"
  pnpm run docs

  step "packed packages (publint, attw, import and require on node $(node --version))"
  pnpm run check:packages
fi

passed=$((up + ip)); failed=$((uf + if)); skipped=$((us + is))
if [ "$skipped" != 0 ]; then echo "skipped or todo tests are not allowed: $skipped" >&2; status=1; fi
printf '\ntotal time %ss\n' "$SECONDS" >&2
echo "tests: ${passed} passed, ${failed} failed"
exit "$status"
