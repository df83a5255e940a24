#!/usr/bin/env bash
# Starts or stops the ledger's servers on this machine without Docker: an Apache Kafka broker (KRaft, from
# Maven Central jars) and a MongoDB-wire server (mongod if on PATH, else FerretDB built with Go).
#   infra.sh up      start both (reusing ones already running), print KAFKA_BROKERS= and MONGODB_URI=
#   infra.sh down    stop both
#   infra.sh status  exit 0 if both answer
#   infra.sh env     print the variables of the running servers
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

case "${1:-}" in
  up)
    started=no
    bash "$here/kafka.sh" status >/dev/null 2>&1 || started=yes
    bash "$here/mongo.sh" status >/dev/null 2>&1 || started=yes
    logdir="$(cd "$here/../.." && pwd)/.infra"
    mkdir -p "$logdir"
    # Both start at once: the broker's JVM and FerretDB's build/start overlap.
    bash "$here/kafka.sh" start >"$logdir/kafka-start.out" 2>&1 &
    kpid=$!
    bash "$here/mongo.sh" start >"$logdir/mongo-start.out" 2>&1 &
    mpid=$!
    kstatus=0; mstatus=0
    wait "$kpid" || kstatus=$?
    wait "$mpid" || mstatus=$?
    if [ "$kstatus" -ne 0 ] || [ "$mstatus" -ne 0 ]; then
      echo "infra: start failed (kafka=$kstatus, mongo=$mstatus)" >&2
      cat "$logdir/kafka-start.out" "$logdir/mongo-start.out" >&2
      exit 1
    fi
    grep -h '^KAFKA_BROKERS=' "$logdir/kafka-start.out" | tail -1
    grep -h '^MONGODB_URI=' "$logdir/mongo-start.out" | tail -1
    echo "LEDGER_INFRA_STARTED=$started"
    ;;
  down)
    bash "$here/kafka.sh" stop
    bash "$here/mongo.sh" stop
    ;;
  status)
    bash "$here/kafka.sh" status && bash "$here/mongo.sh" status
    ;;
  env)
    echo "KAFKA_BROKERS=$(bash "$here/kafka.sh" url)"
    echo "MONGODB_URI=$(bash "$here/mongo.sh" url)"
    ;;
  *)
    echo "usage: $0 up|down|status|env" >&2
    exit 2
    ;;
esac
