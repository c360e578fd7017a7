#!/usr/bin/env bash
# Run every benchmark (each bench/<package>/*.bench.ts) and print their Markdown reports; results are recorded by
# hand in docs/benchmarks.md and docs/benchmarks/*.md. Benchmarks that need PostgreSQL or Docker get them from
# scripts/test-services.sh; the scheduling benchmark also compares with Debian's docker-compose 1.29.
set -euo pipefail
cd "$(dirname "$0")/.."
service_env="$(bash scripts/test-services.sh --env)"
eval "$(grep '^export ' <<<"$service_env")"
if ! command -v docker-compose >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose >/dev/null || echo "docker-compose not installed: its column is skipped" >&2
fi
export TSX_TSCONFIG_PATH="$PWD/tsconfig.json"
for f in bench/*/*.bench.ts; do
  echo "## ${f}" >&2
  node --expose-gc --import tsx "$f"
done
