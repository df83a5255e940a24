#!/usr/bin/env bash
# Local single-node Apache Kafka broker (KRaft, combined broker+controller), no Docker.
#
#   bash infra/scripts/kafka.sh start    # start (or reuse) the broker; prints KAFKA_BROKERS=127.0.0.1:PORT
#   bash infra/scripts/kafka.sh stop     # stop it (idempotent)
#   bash infra/scripts/kafka.sh status   # exit 0 + KAFKA_BROKERS=... if running and answering, else 1
#   bash infra/scripts/kafka.sh url      # print 127.0.0.1:PORT (the saved port)
#   bash infra/scripts/kafka.sh reset    # stop and wipe the data dir (topics, offsets)
#
# Jars come from Maven Central via infra/kafka/pom.xml into infra/kafka/target/lib (fetched once).
# State lives in .infra/kafka/ at the repo root: data/, logs/, kafka.pid, port, controller.port,
# cluster.id, server.properties. Only 127.0.0.1 is bound.
#
# Environment:
#   KAFKA_PORT             client port to use (default: the saved port if free, else a free one)
#   KAFKA_CONTROLLER_PORT  controller port (default: saved if free, else a free one)
#   KAFKA_START_TIMEOUT    seconds to wait for the broker to answer (default 90)
#   KAFKA_HEAP_OPTS        JVM heap options (default "-Xmx512m -Xms256m")
#
# Machine-readable output goes to stdout; progress and errors go to stderr.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
KAFKA_DIR="$ROOT/infra/kafka"
POM="$KAFKA_DIR/pom.xml"
LIB="$KAFKA_DIR/target/lib"
LOG4J="$KAFKA_DIR/log4j.properties"
TOOLS_LOG4J="$KAFKA_DIR/tools-log4j.properties"
WAIT_JS="$ROOT/infra/scripts/wait-kafka.js"

STATE="$ROOT/.infra/kafka"
DATA="$STATE/data"
LOGS="$STATE/logs"
PIDF="$STATE/kafka.pid"
PORTF="$STATE/port"
CPORTF="$STATE/controller.port"
CLUSTERF="$STATE/cluster.id"
PROPS="$STATE/server.properties"
LOCKF="$STATE/lock"

HOST=127.0.0.1
START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
STOP_TIMEOUT=30

log() { echo "kafka.sh: $*" >&2; }
die() { log "$*"; exit 1; }

# Serialise start/stop/reset between concurrent callers. The lock fd (9) is
# closed for the broker process so the JVM never holds the lock.
take_lock() {
  mkdir -p "$STATE"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$LOCKF"
    flock -w 300 9 || die "could not take lock $LOCKF"
  fi
}

kafka_version() {
  sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM" | head -n1
}

read_file() { [[ -s "$1" ]] && tr -d '[:space:]' <"$1" || true; }

# is_our_broker PID: the process is a java running `kafka.Kafka <our server.properties>`.
is_our_broker() {
  local pid="$1" i
  local -a args=()
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  mapfile -d '' args <"/proc/$pid/cmdline" 2>/dev/null || return 1
  ((${#args[@]} > 1)) || return 1
  [[ "${args[0]##*/}" == java ]] || return 1
  for ((i = 1; i < ${#args[@]} - 1; i++)); do
    [[ "${args[$i]}" == kafka.Kafka && "${args[$((i + 1))]}" == "$PROPS" ]] && return 0
  done
  return 1
}

# pid of our broker if its process is alive and really is kafka.Kafka with our config.
broker_pid() {
  local pid
  pid="$(read_file "$PIDF")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -d /proc/self ]]; then
    is_our_broker "$pid" || return 1
  fi
  echo "$pid"
}

# Stray brokers of this checkout whose pid file was lost (exact match on our server.properties path).
stray_pids() {
  local d pid
  [[ -d /proc/self ]] || return 0
  for d in /proc/[0-9]*; do
    pid="${d#/proc/}"
    is_our_broker "$pid" && echo "$pid"
  done
  return 0
}

answering() { # answering PORT [timeoutSeconds]
  node "$WAIT_JS" "$HOST:$1" "${2:-5}" >/dev/null 2>&1
}

port_free() { # port_free PORT -> exit 0 if 127.0.0.1:PORT can be bound
  node -e '
    const s = require("net").createServer();
    s.once("error", () => process.exit(1));
    s.listen({ host: process.argv[1], port: Number(process.argv[2]), exclusive: true }, () => s.close(() => process.exit(0)));
  ' "$HOST" "$1" >/dev/null 2>&1
}

free_port() { # prints a port the OS considers free, different from $1 (if given)
  local avoid="${1:-}" p i
  for i in 1 2 3 4 5; do
    p="$(node -e '
      const s = require("net").createServer();
      s.listen({ host: process.argv[1], port: 0, exclusive: true }, () => { const p = s.address().port; s.close(() => console.log(p)); });
    ' "$HOST")"
    if [[ -n "$p" && "$p" != "$avoid" ]]; then echo "$p"; return 0; fi
  done
  die "could not find a free port"
}

ensure_jars() {
  local version
  version="$(kafka_version)"
  [[ -n "$version" ]] || die "cannot read kafka.version from $POM"
  if ! ls "$LIB/kafka_2.13-$version.jar" >/dev/null 2>&1 || ! ls "$LIB"/slf4j-reload4j-*.jar >/dev/null 2>&1; then
    command -v mvn >/dev/null 2>&1 || die "mvn not found: install Maven (and Java 17) to fetch Kafka $version"
    log "fetching Kafka $version jars with Maven (first run only)..."
    rm -rf "$LIB"
    # (Debian's Maven 3.8 prints stray ANSI resets even with -B; strip them)
    mvn -q -B -Dstyle.color=never -f "$POM" package 2>&1 </dev/null | sed 's/\x1b\[[0-9;]*m//g' >&2 ||
      die "mvn failed to fetch Kafka jars"
    ls "$LIB/kafka_2.13-$version.jar" >/dev/null 2>&1 || die "Kafka jars missing in $LIB after mvn"
  fi
}

cluster_id() {
  local id meta="$DATA/meta.properties"
  if [[ -f "$meta" ]]; then # data dir formatted earlier: its id wins
    id="$(sed -n 's/^cluster\.id=//p' "$meta" | tr -d '[:space:]')"
  fi
  [[ -n "${id:-}" ]] || id="$(read_file "$CLUSTERF")"
  if [[ -z "$id" ]]; then
    id="$(java -Dlog4j.configuration="file:$TOOLS_LOG4J" -cp "$LIB/*" kafka.tools.StorageTool random-uuid | tail -n1 | tr -d '[:space:]')"
  fi
  [[ -n "$id" ]] || die "could not generate a cluster id"
  echo "$id" >"$CLUSTERF"
  echo "$id"
}

choose_ports() { # sets PORT and CPORT
  local saved csaved
  saved="$(read_file "$PORTF")"
  csaved="$(read_file "$CPORTF")"
  if [[ -n "${KAFKA_PORT:-}" ]]; then
    PORT="$KAFKA_PORT"
    port_free "$PORT" || die "KAFKA_PORT=$PORT is already in use on $HOST"
  elif [[ -n "$saved" ]] && port_free "$saved"; then
    PORT="$saved"
  else
    PORT="$(free_port)"
  fi
  if [[ -n "${KAFKA_CONTROLLER_PORT:-}" ]]; then
    CPORT="$KAFKA_CONTROLLER_PORT"
    [[ "$CPORT" != "$PORT" ]] || die "KAFKA_CONTROLLER_PORT must differ from the client port"
    port_free "$CPORT" || die "KAFKA_CONTROLLER_PORT=$CPORT is already in use on $HOST"
  elif [[ -n "$csaved" && "$csaved" != "$PORT" ]] && port_free "$csaved"; then
    CPORT="$csaved"
  else
    CPORT="$(free_port "$PORT")"
  fi
  echo "$PORT" >"$PORTF"
  echo "$CPORT" >"$CPORTF"
}

write_props() {
  cat >"$PROPS" <<EOF
# Generated by infra/scripts/kafka.sh on each start; edits are overwritten.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CPORT
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CPORT
advertised.listeners=PLAINTEXT://$HOST:$PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA

# single node
num.partitions=3
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
group.initial.rebalance.delay.ms=0
# after an unclean kill the controller refuses the re-registration of node 1
# (DUPLICATE_BROKER_REGISTRATION) until the old session expires (default 9 s)
broker.heartbeat.interval.ms=500
broker.session.timeout.ms=3000

# topics must be created explicitly by the application
auto.create.topics.enable=false
delete.topic.enable=true

# modest footprint (2 cores shared with the tests)
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
background.threads=4
log.cleaner.threads=1
EOF
}

LOG_MARK=0 # lines of server.log written before this start (so only this run's lines are shown)

tail_logs() {
  local f="$LOGS/server.log"
  if [[ -s "$f" ]] && (($(wc -l <"$f") > LOG_MARK)); then
    log "---- last lines of $f (this run) ----"
    tail -n +"$((LOG_MARK + 1))" "$f" | tail -n 30 >&2
  fi
  f="$LOGS/kafka.out"
  if [[ -s "$f" ]]; then
    log "---- last lines of $f ----"
    tail -n 30 "$f" >&2
  fi
}

kill_pid() { # kill_pid PID: SIGTERM, wait up to STOP_TIMEOUT, then SIGKILL
  local pid="$1" i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < STOP_TIMEOUT * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  log "broker pid $pid did not stop after ${STOP_TIMEOUT}s, sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  die "could not kill broker pid $pid"
}

do_stop() {
  local pid stopped=0
  if pid="$(broker_pid)"; then
    log "stopping broker (pid $pid)..."
    kill_pid "$pid"
    stopped=1
  fi
  for pid in $(stray_pids); do
    log "stopping stray broker (pid $pid)..."
    kill_pid "$pid"
    stopped=1
  done
  rm -f "$PIDF"
  if ((stopped)); then log "stopped"; else log "not running"; fi
}

do_start() {
  local pid port elapsed start_ts launch_ts
  start_ts=$(date +%s)

  if pid="$(broker_pid)"; then
    port="$(read_file "$PORTF")"
    if [[ -n "${KAFKA_PORT:-}" && "$KAFKA_PORT" != "$port" ]]; then
      port_free "$KAFKA_PORT" || die "KAFKA_PORT=$KAFKA_PORT is already in use on $HOST (broker left running on $port)"
      log "running broker uses port $port but KAFKA_PORT=$KAFKA_PORT: restarting"
      do_stop
    elif answering "$port" 30; then
      log "reusing running broker (pid $pid)"
      echo "KAFKA_BROKERS=$HOST:$port"
      return 0
    else
      log "broker pid $pid is not answering: restarting it"
      do_stop
    fi
  else
    for pid in $(stray_pids); do
      log "stopping stray broker (pid $pid) of this checkout"
      kill_pid "$pid"
    done
    rm -f "$PIDF"
  fi

  command -v java >/dev/null 2>&1 || die "java not found (Java 17 is needed)"
  command -v node >/dev/null 2>&1 || die "node not found"
  ensure_jars
  mkdir -p "$DATA" "$LOGS"
  choose_ports
  write_props

  local cid
  cid="$(cluster_id)"
  # Format once (a JVM launch costs ~1.5 s); an existing meta.properties means formatted.
  if [[ ! -f "$DATA/meta.properties" ]] && ! java -Dlog4j.configuration="file:$TOOLS_LOG4J" -cp "$LIB/*" kafka.tools.StorageTool \
    format -t "$cid" -c "$PROPS" --ignore-formatted >"$LOGS/format.log" 2>&1; then
    cat "$LOGS/format.log" >&2
    die "storage format failed (wipe it with: bash infra/scripts/kafka.sh reset)"
  fi

  # shellcheck disable=SC2086
  local heap=${KAFKA_HEAP_OPTS:--Xmx512m -Xms256m}
  LOG_MARK=0
  [[ -f "$LOGS/server.log" ]] && LOG_MARK=$(wc -l <"$LOGS/server.log")
  log "starting Kafka $(kafka_version) on $HOST:$PORT (controller $HOST:$CPORT)..."
  # setsid: own session, so Ctrl-C / group kills of the caller don't hit it.
  # The inner shell writes its own pid and execs java, so the pid file is the JVM's pid.
  # All fds are redirected (and the lock fd closed) so callers capturing our output don't hang.
  # shellcheck disable=SC2016
  nohup setsid bash -c 'echo $$ >"$0"; exec "$@"' "$PIDF" \
    java $heap -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dkafka.logs.dir="$LOGS" -Dlog4j.configuration="file:$LOG4J" \
    -cp "$LIB/*" kafka.Kafka "$PROPS" \
    >"$LOGS/kafka.out" 2>&1 </dev/null 9>&- &

  launch_ts=$(date +%s)
  # wait for the pid file written by the child
  for ((elapsed = 0; elapsed < 50; elapsed++)); do
    [[ -s "$PIDF" ]] && break
    sleep 0.1
  done
  pid="$(read_file "$PIDF")"
  [[ -n "$pid" ]] || { tail_logs; die "broker did not start (no pid)"; }

  local deadline=$((launch_ts + START_TIMEOUT))
  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PIDF"
      tail_logs
      die "broker process $pid exited during startup"
    fi
    local left=$((deadline - $(date +%s)))
    if ((left <= 0)); then
      tail_logs
      log "broker did not answer within ${START_TIMEOUT}s; stopping it"
      kill_pid "$pid" || true
      rm -f "$PIDF"
      exit 1
    fi
    if answering "$PORT" "$((left < 5 ? left : 5))"; then
      break
    fi
  done
  # Make a fresh broker create its internal topics (__consumer_offsets,
  # __transaction_state) now, so the first test's consumer group / producer
  # doesn't hit "coordinator not available / loading" retries.
  local left=$((deadline - $(date +%s)))
  if ! node "$WAIT_JS" "$HOST:$PORT" "$((left > 5 ? left : 5))" --warm >/dev/null 2>&1; then
    log "warning: broker answers but its group/transaction coordinators did not warm up"
  fi
  log "broker ready (pid $pid) in $(($(date +%s) - start_ts))s"
  echo "KAFKA_BROKERS=$HOST:$PORT"
}

do_status() {
  local pid port
  port="$(read_file "$PORTF")"
  if pid="$(broker_pid)" && [[ -n "$port" ]] && answering "$port" 5; then
    log "running (pid $pid)"
    echo "KAFKA_BROKERS=$HOST:$port"
    return 0
  fi
  if [[ -n "${pid:-}" ]]; then log "process $pid alive but not answering"; else log "not running"; fi
  return 1
}

do_url() {
  local port
  port="$(read_file "$PORTF")"
  [[ -n "$port" ]] || die "no port saved yet (run: bash infra/scripts/kafka.sh start)"
  echo "$HOST:$port"
}

cmd="${1:-}"
case "$cmd" in
  start) take_lock; do_start ;;
  stop) take_lock; do_stop ;;
  status) do_status ;;
  url) do_url ;;
  reset) take_lock; do_stop; rm -rf "$DATA" "$CLUSTERF"; log "data wiped" ;;
  *)
    echo "usage: $0 {start|stop|status|url|reset}" >&2
    exit 2
    ;;
esac
