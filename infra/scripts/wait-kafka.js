#!/usr/bin/env node
/*
 * Waits until a Kafka cluster answers an admin describeCluster() call.
 *
 *   node infra/scripts/wait-kafka.js [brokers] [timeoutSeconds]
 *
 * brokers: comma-separated host:port list (default: $KAFKA_BROKERS, else 127.0.0.1:9092)
 * timeoutSeconds: overall deadline (default 60)
 *
 * Exits 0 as soon as the cluster reports at least one broker and a controller,
 * 1 when the deadline passes. Prints nothing unless WAIT_KAFKA_VERBOSE=1.
 *
 * --warm additionally asks for a group coordinator and a transaction coordinator,
 * which makes a fresh broker create __consumer_offsets and __transaction_state now
 * rather than during the first test (kafkajs otherwise logs retriable
 * "coordinator is loading / not available" errors there).
 */
'use strict';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

const { Kafka, logLevel } = require('kafkajs');

const warm = process.argv.includes('--warm');
const args = process.argv.slice(2).filter((a) => a !== '--warm');
const brokers = (args[0] || process.env.KAFKA_BROKERS || '127.0.0.1:9092')
  .split(',')
  .map((b) => b.trim())
  .filter(Boolean);
const timeoutSeconds = Number(args[1] || process.env.WAIT_KAFKA_TIMEOUT || 60);
const verbose = process.env.WAIT_KAFKA_VERBOSE === '1';

if (!brokers.length || !Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
  console.error('usage: wait-kafka.js [host:port[,host:port...]] [timeoutSeconds]');
  process.exit(2);
}

const deadline = Date.now() + timeoutSeconds * 1000;

// Hard stop even if a socket hangs past the deadline.
setTimeout(
  () => {
    if (verbose) console.error(`wait-kafka: ${brokers.join(',')} not ready after ${timeoutSeconds}s`);
    process.exit(1);
  },
  timeoutSeconds * 1000 + 2000,
).unref();

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function probe() {
  const kafka = new Kafka({
    clientId: 'wait-kafka',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 3000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin({ retry: { retries: 0 } });
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (!cluster.brokers.length || cluster.controller == null || cluster.controller < 0) {
      throw new Error('cluster has no broker or controller yet');
    }
    return cluster;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

async function warmUp() {
  const kafka = new Kafka({
    clientId: 'wait-kafka-warmup',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 5000,
    retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 1000 },
  });
  const admin = kafka.admin();
  const producer = kafka.producer({
    transactionalId: 'wait-kafka-warmup',
    idempotent: true,
    maxInFlightRequests: 1,
  });
  try {
    await admin.connect();
    await admin.fetchOffsets({ groupId: 'wait-kafka-warmup', topics: [] }); // group coordinator
    await producer.connect();
    const tx = await producer.transaction(); // InitProducerId via the transaction coordinator
    await tx.abort();
  } finally {
    await producer.disconnect().catch(() => {});
    await admin.disconnect().catch(() => {});
  }
}

(async () => {
  let lastError;
  while (Date.now() < deadline) {
    try {
      const cluster = await probe();
      if (verbose) {
        console.error(
          `wait-kafka: ready, clusterId=${cluster.clusterId} brokers=${cluster.brokers
            .map((b) => `${b.host}:${b.port}`)
            .join(',')} controller=${cluster.controller}`,
        );
      }
      if (warm) {
        // coordinators of a fresh broker answer NOT_COORDINATOR / loading for a moment
        for (;;) {
          try {
            await warmUp();
            break;
          } catch (err) {
            if (Date.now() >= deadline) {
              if (verbose) console.error(`wait-kafka: warm-up failed: ${err.message}`);
              process.exit(1);
            }
            await sleep(250);
          }
        }
      }
      process.exit(0);
    } catch (err) {
      lastError = err;
      await sleep(Math.min(500, Math.max(0, deadline - Date.now())));
    }
  }
  if (verbose) console.error(`wait-kafka: not ready: ${lastError && lastError.message}`);
  process.exit(1);
})();
