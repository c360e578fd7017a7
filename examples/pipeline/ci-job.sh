#!/usr/bin/env bash
# A pipeline step: deploy, keep the JSON report as an artifact, and act on the documented exit codes.
#   DIVE="npx dive" bash ci-job.sh        (in this repository: DIVE="node packages/orchestrator/dist/cli/bin.js")
set -uo pipefail
cd "$(dirname "$0")"
DIVE=${DIVE:-npx dive}
STATE=${DIVE_STATE_URL:-file:.dive}
REPORT=${REPORT:-report.json}
$DIVE --state "$STATE" deploy --progress plain --json > "$REPORT"
code=$?
case "$code" in
  0) echo "deployed: $(node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); console.log(r.status, r.durationMs + " ms")' "$REPORT")" ;;
  1) echo "deployment failed and was rolled back; see report.json" ;;
  2) echo "the topology or the command is invalid; fix it, nothing was changed" ;;
  3) echo "another deployment of this instance is running; try again later" ;;
  4) echo "the state store or the container runtime is unreachable" ;;
  130) echo "interrupted" ;;
esac
$DIVE --state "$STATE" --quiet down CIJ > /dev/null
exit "$code"
