#!/usr/bin/env bash
# The offline verifier of the transparency log: no database, no Kafka, only the log's public key and HTTP
# (or a proof-bundle file). See `ledger-verify help`.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
[ -d "$root/node_modules" ] || (cd "$root" && bash infra/scripts/ensure-deps.sh)
[ -f "$root/dist/apps/ledger-verify/main.js" ] || (cd "$root" && npx nest build ledger-verify >/dev/null)
exec node "$root/dist/apps/ledger-verify/main.js" "$@"
