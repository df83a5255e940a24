#!/usr/bin/env bash
# Local MongoDB-wire-compatible server for development and tests, without Docker.
#
# Usage: infra/scripts/mongo.sh start|stop|status|url
#
#   start   Start a server (or reuse the one this script already started) and
#           print `MONGODB_URI=mongodb://127.0.0.1:PORT/` on stdout; progress
#           goes to stderr, so `eval "$(infra/scripts/mongo.sh start)"` works.
#   stop    Stop it (SIGTERM, then SIGKILL after 20 s). Idempotent.
#   status  Exit 0 if the server is running and answering, 1 otherwise.
#   url     Print the connection string of the server.
#
# Engine: a real `mongod` on PATH is preferred (started as a single-node
# replica set "rs0"); otherwise FerretDB v1 with the SQLite backend is built
# from infra/ferretdb (Go required; the binary is cached in infra/ferretdb/bin).
#
# Environment:
#   MONGO_PORT           port to use (default: the saved one if free, else any free port)
#   MONGO_ENGINE         auto (default) | mongod | ferretdb
#   MONGO_START_TIMEOUT  seconds to wait for the server to answer (default 60)
#   MONGO_LOG_LEVEL      FerretDB log level (default info)
#
# State lives in .infra/mongo/ (ignored by git): data-<engine>/, mongo.log,
# pid, port, engine.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
STATE="$ROOT/.infra/mongo"
PID_FILE="$STATE/pid"
PORT_FILE="$STATE/port"
ENGINE_FILE="$STATE/engine"
LOG_FILE="$STATE/mongo.log"
LOCK_FILE="$STATE/lock"
WAIT_JS="$ROOT/infra/scripts/wait-mongo.js"
FERRET_DIR="$ROOT/infra/ferretdb"
FERRET_BIN="$FERRET_DIR/bin/ferretdb"
HOST=127.0.0.1
START_TIMEOUT="${MONGO_START_TIMEOUT:-60}"
STOP_TIMEOUT=20

log() { echo "mongo.sh: $*" >&2; }
die() { log "$*"; exit 1; }

uri_for() { echo "mongodb://$HOST:$1/"; }

saved_pid() { [[ -s "$PID_FILE" ]] && tr -dc '0-9' <"$PID_FILE" || true; }
saved_port() { [[ -s "$PORT_FILE" ]] && tr -dc '0-9' <"$PORT_FILE" || true; }

# True if pid exists and is not a zombie (a server that died while this shell,
# its parent, still runs stays a zombie, which `kill -0` still reports).
pid_running() {
  kill -0 "$1" 2>/dev/null || return 1
  if [[ -r "/proc/$1/stat" ]]; then
    [[ "$(sed -E 's/^.*\) ([A-Za-z]).*$/\1/' "/proc/$1/stat" 2>/dev/null)" != Z ]] || return 1
  fi
  return 0
}

# True if the saved pid is alive and is a server started by this script
# (its command line names our state directory), so a recycled pid is ignored.
process_alive() {
  local pid
  pid="$(saved_pid)"
  [[ -n "$pid" ]] || return 1
  pid_running "$pid" || return 1
  if [[ -r "/proc/$pid/cmdline" ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$STATE/" || return 1
  fi
  return 0
}

# ping(port, timeoutSeconds, [--primary])
ping_port() {
  local port="$1" timeout="$2"
  shift 2
  node "$WAIT_JS" "$@" "$(uri_for "$port")" "$timeout" 2>/dev/null
}

port_is_free() {
  node -e '
    const s = require("net").createServer();
    s.once("error", () => process.exit(1));
    s.listen(Number(process.argv[1]), process.argv[2], () => s.close(() => process.exit(0)));
  ' "$1" "$HOST" 2>/dev/null
}

free_port() {
  node -e '
    const s = require("net").createServer();
    s.listen(0, process.argv[1], () => { const p = s.address().port; s.close(() => console.log(p)); });
  ' "$HOST"
}

choose_port() {
  if [[ -n "${MONGO_PORT:-}" ]]; then
    [[ "$MONGO_PORT" =~ ^[0-9]+$ ]] || die "MONGO_PORT must be a number, got '$MONGO_PORT'"
    port_is_free "$MONGO_PORT" || die "MONGO_PORT=$MONGO_PORT is already in use on $HOST"
    echo "$MONGO_PORT"
    return
  fi
  local saved
  saved="$(saved_port)"
  if [[ -n "$saved" ]] && port_is_free "$saved"; then
    echo "$saved"
    return
  fi
  free_port
}

choose_engine() {
  case "${MONGO_ENGINE:-auto}" in
    auto) if command -v mongod >/dev/null 2>&1; then echo mongod; else echo ferretdb; fi ;;
    mongod)
      command -v mongod >/dev/null 2>&1 || die "MONGO_ENGINE=mongod but no mongod on PATH"
      echo mongod
      ;;
    ferretdb) echo ferretdb ;;
    *) die "MONGO_ENGINE must be auto, mongod or ferretdb, got '${MONGO_ENGINE}'" ;;
  esac
}

# Build the FerretDB wrapper if the binary is missing or older than its sources.
build_ferretdb() {
  local stale=0 f
  if [[ ! -x "$FERRET_BIN" ]]; then
    stale=1
  else
    for f in "$FERRET_DIR"/main.go "$FERRET_DIR"/go.mod "$FERRET_DIR"/go.sum \
      "$FERRET_DIR"/build.sh; do
      [[ -e "$f" && "$f" -nt "$FERRET_BIN" ]] && stale=1
    done
  fi
  [[ "$stale" == 1 ]] || return 0

  command -v go >/dev/null 2>&1 || die "Go >= 1.24 is required to build FerretDB (infra/ferretdb)"
  log "building FerretDB (first build takes about a minute)..."
  local start=$SECONDS
  bash "$FERRET_DIR/build.sh" >&2 || die "FerretDB build failed"
  log "built $FERRET_BIN in $((SECONDS - start)) s"
}

# launch <command...>: start detached in its own session; the wrapper shell
# records its own pid and then execs the server, so the pid is the server's.
launch() {
  : >"$LOG_FILE"
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" "$@" \
    </dev/null >>"$LOG_FILE" 2>&1 9>&- &
  local i
  for i in $(seq 1 50); do
    [[ -s "$PID_FILE" ]] && return 0
    sleep 0.1
  done
  die "server process did not start; see $LOG_FILE"
}

start_ferretdb() {
  local port="$1" data="$STATE/data-ferretdb"
  build_ferretdb
  mkdir -p "$data"
  launch "$FERRET_BIN" \
    --listen-addr "$HOST:$port" \
    --sqlite-dir "$data/" \
    --log-level "${MONGO_LOG_LEVEL:-info}"
}

start_mongod() {
  local port="$1" data="$STATE/data-mongod"
  mkdir -p "$data"
  launch mongod \
    --bind_ip "$HOST" \
    --port "$port" \
    --dbpath "$data/" \
    --replSet rs0 \
    --quiet
}

# Initiate the single-node replica set, or repoint it at a new port.
init_replset() {
  local port="$1"
  node - "$(uri_for "$port")" "$HOST:$port" <<'JS' >&2
const { MongoClient } = require('mongodb');
const [uri, host] = process.argv.slice(2);
(async () => {
  const client = new MongoClient(uri, { directConnection: true, serverSelectionTimeoutMS: 5000 });
  await client.connect();
  const admin = client.db('admin');
  try {
    const { config } = await admin.command({ replSetGetConfig: 1 });
    if (config.members.length !== 1 || config.members[0].host !== host) {
      config.members = [{ ...config.members[0], host }];
      config.version += 1;
      await admin.command({ replSetReconfig: config, force: true });
      console.error(`mongo.sh: replica set rs0 reconfigured to ${host}`);
    }
  } catch (err) {
    if (err.code !== 94 /* NotYetInitialized */) throw err;
    await admin.command({ replSetInitiate: { _id: 'rs0', members: [{ _id: 0, host }] } });
    console.error(`mongo.sh: replica set rs0 initiated on ${host}`);
  }
  await client.close();
})().catch((err) => { console.error('mongo.sh: replica set init failed:', err.message); process.exit(1); });
JS
}

# wait_ready <port> <timeoutSeconds> [--primary]: poll until the server answers;
# give up early if the server process has exited. The pid is the one just
# launched, so liveness is kill -0: the command-line check of process_alive can
# read an empty /proc/<pid>/cmdline while the wrapper shell execs the server.
wait_ready() {
  local port="$1" timeout="$2"
  shift 2
  local deadline=$((SECONDS + timeout))
  while ((SECONDS < deadline)); do
    pid_running "$(saved_pid)" || { log "server process exited"; return 1; }
    ping_port "$port" 2 "$@" && return 0
  done
  return 1
}

print_log_tail() {
  if [[ -s "$LOG_FILE" ]]; then
    log "last lines of $LOG_FILE:"
    tail -n 40 "$LOG_FILE" >&2
  fi
}

cmd_start() {
  command -v node >/dev/null 2>&1 || die "node is required"
  mkdir -p "$STATE"

  # Serialise concurrent starts (e.g. parallel test runners). The server
  # process is launched with fd 9 closed so it never holds the lock.
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$LOCK_FILE"
    flock -w 300 9 || die "timed out waiting for $LOCK_FILE"
  fi

  if process_alive; then
    local port
    port="$(saved_port)"
    if [[ -n "${MONGO_PORT:-}" && "$MONGO_PORT" != "$port" ]]; then
      die "a server is already running on port $port (MONGO_PORT=$MONGO_PORT); run '$0 stop' first"
    fi
    if [[ -n "$port" ]] && ping_port "$port" 10; then
      log "reusing running $(cat "$ENGINE_FILE" 2>/dev/null || echo server) (pid $(saved_pid))"
      echo "MONGODB_URI=$(uri_for "$port")"
      return 0
    fi
    log "server pid $(saved_pid) is not answering; restarting it"
    cmd_stop
  fi
  rm -f "$PID_FILE"

  local engine port
  engine="$(choose_engine)"
  port="$(choose_port)"
  echo "$port" >"$PORT_FILE"
  echo "$engine" >"$ENGINE_FILE"

  local start=$SECONDS
  log "starting $engine on $HOST:$port (log: $LOG_FILE)"
  case "$engine" in
    ferretdb) start_ferretdb "$port" ;;
    mongod) start_mongod "$port" ;;
  esac

  local ok=0
  if wait_ready "$port" "$START_TIMEOUT"; then
    ok=1
    if [[ "$engine" == mongod ]]; then
      ok=0
      if init_replset "$port" && wait_ready "$port" "$START_TIMEOUT" --primary; then ok=1; fi
    fi
  fi
  if [[ "$ok" != 1 ]] || ! process_alive; then
    log "$engine did not become ready on $HOST:$port within ${START_TIMEOUT}s"
    print_log_tail
    cmd_stop || true
    exit 1
  fi

  log "$engine ready (pid $(saved_pid)) in $((SECONDS - start)) s"
  echo "MONGODB_URI=$(uri_for "$port")"
}

cmd_stop() {
  local pid
  pid="$(saved_pid)"
  if [[ -n "$pid" ]] && process_alive; then
    log "stopping pid $pid"
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + STOP_TIMEOUT))
    while pid_running "$pid" && ((SECONDS < deadline)); do
      sleep 0.2
    done
    if pid_running "$pid"; then
      log "pid $pid still running after ${STOP_TIMEOUT}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
    fi
    log "stopped"
  else
    log "not running"
  fi
  rm -f "$PID_FILE"
}

cmd_status() {
  local port
  port="$(saved_port)"
  if process_alive && [[ -n "$port" ]] && ping_port "$port" 3; then
    log "running: $(cat "$ENGINE_FILE" 2>/dev/null || echo server) pid $(saved_pid), $(uri_for "$port")"
    return 0
  fi
  log "not running"
  return 1
}

cmd_url() {
  local port
  port="$(saved_port)"
  [[ -n "$port" ]] || port="${MONGO_PORT:-}"
  [[ -n "$port" ]] || die "no port known yet; run '$0 start'"
  uri_for "$port"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  url) cmd_url ;;
  *)
    echo "usage: $0 start|stop|status|url" >&2
    exit 2
    ;;
esac
