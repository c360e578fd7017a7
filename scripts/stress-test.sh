#!/usr/bin/env bash
# The README's test command, N times in a row (default 3), while another process keeps every core busy: the suite
# must pass on a loaded machine, not only on an idle one (issue 14). Prints each run's result line
# ("tests: N passed, N failed") and its exit code, keeps each run's full output in .tmp/stress-<run>.log, and exits
# non-zero if any run failed.
#
#   bash scripts/stress-test.sh [RUNS]
#
# STRESS_TEST_COMMAND replaces the test command (a quick smoke of this script:
#   STRESS_TEST_COMMAND='npx vitest run --project unit packages/errors' bash scripts/stress-test.sh 1).
# The load is `stress-ng --cpu <cores>` when it is installed (Debian: apt-get install stress-ng), else one busy
# node process per core. It runs at normal priority and is stopped when the script ends, however it ends.
set -uo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
command="${STRESS_TEST_COMMAND:-bash scripts/test-all.sh}"
cores="$(nproc 2>/dev/null || echo 2)"
if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then echo "usage: bash scripts/stress-test.sh [RUNS ≥ 1], got '$runs'" >&2; exit 2; fi
mkdir -p .tmp

load_pids=()
stop_load() {
  for pid in "${load_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${load_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  load_pids=()
}
trap stop_load EXIT
trap 'exit 130' INT TERM

if command -v stress-ng >/dev/null; then
  stress-ng --cpu "$cores" --quiet &
  load_pids+=("$!")
  echo "load: stress-ng --cpu $cores (pid ${load_pids[*]})" >&2
else
  for _ in $(seq "$cores"); do
    node -e 'for (;;) {}' &
    load_pids+=("$!")
  done
  echo "load: $cores busy node processes (pids ${load_pids[*]})" >&2
fi

failed=0
for run in $(seq "$runs"); do
  log=".tmp/stress-${run}.log"
  echo "== run $run of $runs: $command (output in $log)" >&2
  start=$SECONDS
  bash -c "$command" >"$log" 2>&1
  code=$?
  result="$(grep -E '^tests: [0-9]+ passed, [0-9]+ failed' "$log" | tail -1)"
  # A command other than test-all.sh (the smoke) has no such line: show vitest's summary instead.
  [ -n "$result" ] || result="$(sed -E 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^ +Tests +[0-9]+' | sed -E 's/^ +//' | tail -1)"
  line="run $run: ${result:-no result line} (exit $code, $((SECONDS - start))s)"
  echo "$line"
  [ "$code" = 0 ] || failed=$((failed + 1))
done

stop_load
echo "stress test: $((runs - failed)) of $runs runs passed under load"
[ "$failed" = 0 ]
