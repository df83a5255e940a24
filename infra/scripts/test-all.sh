#!/usr/bin/env bash
# The one command that runs every test on a fresh clone: installs dependencies, checks lint, format and types,
# runs the unit tests, builds the apps, then runs the integration and end-to-end tests against a real Kafka
# broker and a real MongoDB-wire server (named by KAFKA_BROKERS/MONGODB_URI, else testcontainers when a
# Docker engine answers, else started here by infra/scripts/infra.sh and stopped again at the end).
set -euo pipefail
cd "$(dirname "$0")/../.."
started=$(date +%s)

bash infra/scripts/ensure-deps.sh

was_running=yes
bash infra/scripts/infra.sh status >/dev/null 2>&1 || was_running=no
cleanup() {
  # Safety net: jest's global teardown stops what it started, unless jest itself died.
  if [ "$was_running" = no ] && [ -z "${KAFKA_BROKERS:-}" ]; then bash infra/scripts/infra.sh down >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

echo "== lint, format, types"
npx eslint .
npx prettier --check . >/dev/null || { npx prettier --list-different .; echo "prettier: files above need 'npm run format'"; exit 1; }
npx tsc --noEmit -p tsconfig.json
npx tsc --noEmit -p apps/dashboard/tsconfig.json

echo "== unit tests"
mkdir -p .infra
npx jest --selectProjects unit --ci --json --outputFile=.infra/jest-unit.json

echo "== build (the apps, and the dashboard: its JavaScript size is printed)"
npx nest build --all >/dev/null
npm run --silent build:dashboard

echo "== Chromium for the browser tests (Debian's package, installed when absent)"
bash infra/scripts/ensure-chromium.sh

echo "== schemathesis (pinned, from PyPI, into the ignored .infra/venv; fast when there)"
bash infra/scripts/schemathesis.sh install

echo "== integration and end-to-end tests (real Kafka, real MongoDB-wire server; schemathesis among them)"
# Each test file adds how many answers it checked against the OpenAPI document (test/support/openapi-contract.ts).
rm -f .infra/contract-responses.ndjson
# --forceExit: a client library's idle socket must not keep a finished run open (servers are stopped by then).
npx jest --selectProjects integration e2e --ci --runInBand --forceExit --json --outputFile=.infra/jest-servers.json

echo "== all tests passed in $(( $(date +%s) - started )) s"
node -e '
  const runs = [".infra/jest-unit.json", ".infra/jest-servers.json"].map((f) => require(require("path").resolve(f)));
  const sum = (k) => runs.reduce((n, r) => n + r[k], 0);
  console.log(`tests: ${sum("numPassedTests")} passed, ${sum("numFailedTests")} failed`);
  const fs = require("fs");
  const tallies = fs.readFileSync(".infra/contract-responses.ndjson", "utf8").trim().split("\n").map((l) => JSON.parse(l));
  const count = (k) => tallies.reduce((n, t) => n + t[k], 0);
  console.log(`OpenAPI contract: ${count("validated")} answers checked against the document in ${tallies.length} test files, ${count("violations")} violations`);
'
cat .infra/schemathesis/summary.txt
