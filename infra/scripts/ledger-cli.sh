#!/usr/bin/env bash
# Runs an operator command (verify, rebuild, demo) against the ledger started by start-ledger.sh, or against
# the servers named by MONGODB_URI / KAFKA_BROKERS.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
bash infra/scripts/ensure-deps.sh
if [ -z "${MONGODB_URI:-}" ] || [ -z "${KAFKA_BROKERS:-}" ]; then
  eval "$(bash infra/scripts/infra.sh env | sed 's/^/export /')"
fi
[ -f dist/apps/ledger-cli/main.js ] || npx nest build ledger-cli >/dev/null
exec node dist/apps/ledger-cli/main.js "$@"
