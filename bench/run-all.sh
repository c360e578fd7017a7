#!/usr/bin/env bash
# Run every benchmark (each bench/<package>/*.bench.ts) and print their Markdown reports.
# Benchmarks that need PostgreSQL or Docker start them first with scripts/test-services.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(bash scripts/test-services.sh --env)"
for f in bench/*/*.bench.ts; do
  echo "## ${f}" >&2
  npx tsx --tsconfig tsconfig.json "$f"
done
