#!/usr/bin/env bash
# The one command that runs the ledger on a fresh clone: installs dependencies, starts Kafka and the
# MongoDB-wire server (infra.sh), builds and starts the three apps (ledger API, outbox relay, projector),
# and prints the API and OpenAPI URLs. Runs in the foreground; Ctrl-C (or SIGTERM) stops everything it started.
#   start-ledger.sh           start, and stop everything on Ctrl-C
#   start-ledger.sh --detach  start and return; stop later with `start-ledger.sh stop`
#   start-ledger.sh stop      stop the apps and the servers
# API_PORT (default 8080, or a free port if taken), ADMIN_API_KEY (default: generated once into .infra/admin-api-key).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
state="$root/.infra/apps"
mkdir -p "$state"
apps=(ledger-api relay projector)

stop_apps() {
  for app in "${apps[@]}"; do
    pidfile="$state/$app.pid"
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
  done
}

stop_all() {
  stop_apps
  bash infra/scripts/infra.sh down >/dev/null 2>&1 || true
  echo "ledger stopped"
}

if [ "${1:-}" = stop ]; then
  stop_all
  exit 0
fi
detach=no
[ "${1:-}" = --detach ] && detach=yes

bash infra/scripts/ensure-deps.sh
eval "$(bash infra/scripts/infra.sh up | grep -E '^(KAFKA_BROKERS|MONGODB_URI)=' | sed 's/^/export /')"

if [ ! -f dist/apps/ledger-api/main.js ] || [ -n "$(find apps libs -newer dist/apps/ledger-api/main.js -name '*.ts' -print -quit)" ]; then
  echo "building the apps" >&2
  npx nest build --all >/dev/null
fi
if [ ! -f dist/apps/dashboard/index.html ] || [ -n "$(find apps/dashboard -newer dist/apps/dashboard/index.html -type f -print -quit)" ]; then
  echo "building the dashboard" >&2
  npm run --silent build:dashboard >&2
fi

if [ -z "${ADMIN_API_KEY:-}" ]; then
  keyfile="$root/.infra/admin-api-key"
  if [ ! -s "$keyfile" ]; then
    (umask 077 && node -e "process.stdout.write('adm_' + require('crypto').randomBytes(32).toString('base64url'))" >"$keyfile")
  fi
  ADMIN_API_KEY="$(cat "$keyfile")"
  admin_note="admin API key: in $keyfile"
else
  admin_note="admin API key: the ADMIN_API_KEY you set"
fi
# Only the API gets the admin key: the relay and the projector never need it.

stop_apps
api_port=$(node infra/scripts/free-port.js "${API_PORT:-8080}")
relay_port=$(node infra/scripts/free-port.js 0)
projector_port=$(node infra/scripts/free-port.js 0)
ADMIN_API_KEY="$ADMIN_API_KEY" HTTP_PORT=$api_port nohup node dist/apps/ledger-api/main.js >"$state/ledger-api.log" 2>&1 &
echo $! >"$state/ledger-api.pid"
env -u ADMIN_API_KEY HTTP_PORT=$relay_port nohup node dist/apps/relay/main.js >"$state/relay.log" 2>&1 &
echo $! >"$state/relay.pid"
env -u ADMIN_API_KEY HTTP_PORT=$projector_port nohup node dist/apps/projector/main.js >"$state/projector.log" 2>&1 &
echo $! >"$state/projector.pid"

api="http://127.0.0.1:$api_port"
echo "$api" >"$state/api-url"
for _ in $(seq 1 120); do
  if curl -fs "$api/health" >/dev/null 2>&1; then break; fi
  for app in "${apps[@]}"; do
    if ! kill -0 "$(cat "$state/$app.pid")" 2>/dev/null; then
      echo "$app failed to start; its log:" >&2
      tail -30 "$state/$app.log" >&2
      stop_all
      exit 1
    fi
  done
  sleep 0.5
done
curl -fs "$api/health" >/dev/null || { echo "ledger API did not become healthy; see $state/ledger-api.log" >&2; stop_all; exit 1; }

cat <<EOT
Pledge ledger is running.
  dashboard: $api/   (load the demo pledges with: npm run demo)
  LEDGER_API_URL=$api
  LEDGER_DOCS_URL=$api/docs
  health: $api/health (relay http://127.0.0.1:$relay_port/health, projector http://127.0.0.1:$projector_port/health)
  $admin_note
  kafka: $KAFKA_BROKERS   mongodb: $MONGODB_URI
  logs: $state/*.log
EOT

if [ "$detach" = yes ]; then
  echo "stop with: npm run stop"
  exit 0
fi
echo "Ctrl-C stops the ledger."
trap 'stop_all; exit 0' INT TERM
while true; do
  for app in "${apps[@]}"; do
    if ! kill -0 "$(cat "$state/$app.pid" 2>/dev/null || echo 0)" 2>/dev/null; then
      echo "$app exited; its log:" >&2
      tail -30 "$state/$app.log" >&2
      stop_all
      exit 1
    fi
  done
  sleep 2 &
  wait $! || true
done
