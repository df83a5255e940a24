/**
 * Soak probe of the ledger's first promise, nothing accepted is ever lost: writers with random contention on
 * a few hot pledges, while the relay and the API are killed with SIGKILL at random moments and restarted, the
 * API is now and then paused (SIGSTOP, longer than the relay's completion time, then SIGCONT: a writer stalled
 * between claim and insert), and the Kafka broker is restarted once. It ends with the store-versus-topic
 * reconciliation (`ledger-cli audit-log`) and prints what it counted. Bounded by a duration and a count.
 *
 *   npm run bench:soak
 *
 * Environment (all optional):
 *   KAFKA_BROKERS, MONGODB_URI    servers to use; else `infra/scripts/infra.sh up` (stopped at the end if started)
 *   BENCH_SOAK_SECONDS=120        how long the writers and the faults go on
 *   BENCH_SOAK_MAX_WRITES=100000  ... or until this many writes were accepted
 *   BENCH_SOAK_WRITERS=16         concurrent writers
 *   BENCH_SOAK_HOT_PLEDGES=4      pledges every writer also writes to (the contention)
 *   BENCH_SOAK_FAULT_SECONDS=8    mean time between faults
 *   BENCH_SOAK_KAFKA_RESTART=1    restart the broker once, half-way (only the broker infra/scripts/kafka.sh runs)
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MongoClient } from 'mongodb';
import { createKafka } from '@ledger/messaging/kafka-client';
import { decodeEvent } from '@ledger/messaging/pledge-event-codec';
import { ensureTopic } from '@ledger/messaging/topics';
import { startApp, stopApp } from '../support/app-process';
import { samplePledge } from '../support/ledger-api.harness';
import { envInt, freePort, httpJson, infraDown, infraUp, ROOT, sleep, summarise } from './bench-support';

type App = ReturnType<typeof startApp>;

const config = {
  seconds: envInt('BENCH_SOAK_SECONDS', 120),
  maxWrites: envInt('BENCH_SOAK_MAX_WRITES', 100_000),
  writers: envInt('BENCH_SOAK_WRITERS', 16),
  hotPledges: envInt('BENCH_SOAK_HOT_PLEDGES', 4),
  faultSeconds: envInt('BENCH_SOAK_FAULT_SECONDS', 8),
  kafkaRestart: envInt('BENCH_SOAK_KAFKA_RESTART', 1) > 0,
};
const log = (line: string) =>
  process.stdout.write(`[soak ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

async function main(): Promise<void> {
  const infra = infraUp();
  const runId = `soak_${Date.now().toString(36)}`;
  const topic = `${runId}_events`;
  const adminKey = randomBytes(24).toString('base64url');
  const [apiPort, relayPort] = [await freePort(), await freePort()];
  const env = {
    NODE_ENV: 'production',
    MONGODB_URI: infra.mongoUri,
    MONGODB_DB: runId,
    KAFKA_BROKERS: infra.kafkaBrokers,
    PLEDGE_EVENTS_TOPIC: topic,
    DEAD_LETTER_TOPIC: `${topic}.dead-letter`,
    PLEDGE_EVENTS_PARTITIONS: '6',
    ADMIN_API_KEY: adminKey,
    HTTP_HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    OUTBOX_COMPLETE_AFTER_MS: '2000',
  };
  const mongo = await new MongoClient(infra.mongoUri).connect();
  const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: runId, logLevel: 'fatal' });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopic(admin, { topic, numPartitions: 6, replicationFactor: 1, retainForever: true });

  // When each event first reached the topic, seen by a consumer that runs throughout.
  const firstSeen = new Map<string, number>();
  const consumer = kafka.consumer({ groupId: `${runId}-watch` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const event = decodeEvent(message);
      if (!firstSeen.has(event.eventId)) firstSeen.set(event.eventId, Date.now());
    },
  });

  const apps: { api?: App; relay?: App } = {};
  const startApi = async () => {
    apps.api = startApp('ledger-api', { ...env, HTTP_PORT: String(apiPort) });
    await waitHealthy(apiPort, apps.api);
  };
  const startRelay = async () => {
    apps.relay = startApp('relay', { ...env, HTTP_PORT: String(relayPort) });
    await waitHealthy(relayPort, apps.relay);
  };
  await Promise.all([startApi(), startRelay()]);
  const api = new URL(`http://127.0.0.1:${apiPort}`);

  const org = await httpJson<{ apiKey: string }>(api, 'POST', '/actors/organisations', {
    key: adminKey,
    body: { name: `Soak organisation ${runId}`, type: 'government', country: 'KE' },
  });
  const orgKey = org.body.apiKey;
  const pledges: string[] = [];
  for (let i = 0; i < config.hotPledges + config.writers; i++) {
    const r = await httpJson<{ pledgeId: string }>(api, 'POST', '/pledges', {
      key: orgKey,
      body: samplePledge(),
    });
    pledges.push(r.body.pledgeId);
  }

  // ---- writers -----------------------------------------------------------------------------------------
  const accepted = new Map<string, { recordedAt: number; ackAt: number }>();
  const outcomes: Record<string, number> = {};
  const latencies: number[] = [];
  let stop = false;
  const count = (what: string) => (outcomes[what] = (outcomes[what] ?? 0) + 1);
  const writer = async (w: number) => {
    while (!stop && accepted.size < config.maxWrites) {
      const hot = Math.random() < 0.5;
      const pledgeId = hot
        ? pledges[Math.floor(Math.random() * config.hotPledges)]
        : pledges[config.hotPledges + w];
      const key = randomUUID();
      const body = {
        targetId: 'women-online',
        value: 30 + Math.floor(Math.random() * 20),
        asOf: '2026-06-30',
      };
      // A client that gets no answer retries with the same Idempotency-Key until it has one.
      for (let attempt = 0; !stop || attempt === 0; attempt++) {
        const began = Date.now();
        try {
          const answer = await httpJson<{ recorded?: { eventId: string; recordedAt: string }[] }>(
            api,
            'POST',
            `/pledges/${pledgeId}/progress`,
            { key: orgKey, body, timeoutMs: 10_000, headers: { 'idempotency-key': key } },
          );
          count(String(answer.status));
          if (answer.status === 201 || answer.status === 200) {
            latencies.push(Date.now() - began);
            for (const e of answer.body.recorded ?? [])
              accepted.set(e.eventId, { recordedAt: Date.parse(e.recordedAt), ackAt: Date.now() });
            break;
          }
          if (answer.status < 500 && answer.status !== 409) break;
        } catch {
          count('no answer');
        }
        await sleep(100 + Math.random() * 200);
      }
    }
  };

  // ---- faults ------------------------------------------------------------------------------------------
  const faults: string[] = [];
  let relayResume: number | undefined;
  const chaos = async () => {
    const started = Date.now();
    let kafkaDone = !config.kafkaRestart || !ownBroker(infra.kafkaBrokers);
    while (!stop) {
      await sleep(config.faultSeconds * 1000 * (0.5 + Math.random()));
      if (stop) break;
      const roll = Math.random();
      if (!kafkaDone && Date.now() - started > (config.seconds * 1000) / 2) {
        kafkaDone = true;
        log('fault: Kafka broker restarted');
        execFileSync('bash', [resolve(ROOT, 'infra/scripts/kafka.sh'), 'stop'], { stdio: 'ignore' });
        await sleep(2000);
        execFileSync('bash', [resolve(ROOT, 'infra/scripts/kafka.sh'), 'start'], { stdio: 'ignore' });
        const ready = Date.now();
        // The relay's own count of what Kafka acknowledged (its /health), not a consumer of the topic, which
        // has its own way back into its group after a broker restart.
        const relayUrl = new URL(`http://127.0.0.1:${relayPort}`);
        const published = async () =>
          (
            await httpJson<{ details?: { relay?: { publishedTotal?: number } } }>(
              relayUrl,
              'GET',
              '/health',
              {
                timeoutMs: 1000,
              },
            ).catch(() => null)
          )?.body?.details?.relay?.publishedTotal ?? -1;
        const acceptedBefore = accepted.size;
        const before = await published();
        while ((await published()) <= before && Date.now() - ready < 120_000) await sleep(20);
        relayResume = Date.now() - ready;
        log(
          `relay published again ${relayResume} ms after the broker was ready (${accepted.size - acceptedBefore} writes accepted meanwhile)`,
        );
        faults.push(`kafka restart (relay published again ${relayResume} ms after the broker was ready)`);
      } else if (roll < 0.4) {
        log('fault: relay SIGKILL');
        await stopApp(apps.relay!, 'SIGKILL');
        await sleep(200 + Math.random() * 2000);
        await startRelay();
        faults.push('relay kill -9');
      } else if (roll < 0.8) {
        log('fault: API SIGKILL');
        await stopApp(apps.api!, 'SIGKILL');
        await sleep(200 + Math.random() * 2000);
        await startApi();
        faults.push('api kill -9');
      } else {
        log('fault: API paused 3 s (SIGSTOP)');
        apps.api!.kill('SIGSTOP');
        await sleep(3000);
        apps.api!.kill('SIGCONT');
        faults.push('api paused 3 s');
      }
    }
  };

  log(
    `${config.writers} writers for ${config.seconds} s (at most ${config.maxWrites} writes), faults every ~${config.faultSeconds} s`,
  );
  const began = Date.now();
  const running = [...Array.from({ length: config.writers }, (_, w) => writer(w)), chaos()];
  while (Date.now() - began < config.seconds * 1000 && accepted.size < config.maxWrites) await sleep(200);
  stop = true;
  await Promise.all(running);
  log(`load over after ${((Date.now() - began) / 1000).toFixed(1)} s; waiting for the outbox to drain`);

  // ---- the reckoning -----------------------------------------------------------------------------------
  const db = mongo.db(runId);
  const drainStarted = Date.now();
  while ((await db.collection('outbox').countDocuments({})) > 0 && Date.now() - drainStarted < 300_000)
    await sleep(200);
  const audit = JSON.parse(
    execFileSync('bash', [resolve(ROOT, 'infra/scripts/ledger-cli.sh'), 'audit-log'], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    })
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .pop() ?? '{}',
  ) as Record<string, number>;
  await sleep(1000);
  const storedIds = new Set(
    (
      await db
        .collection('events')
        .find({}, { projection: { eventId: 1 } })
        .toArray()
    ).map((d) => d.eventId as string),
  );
  const acceptedNotStored = [...accepted.keys()].filter((id) => !storedIds.has(id)).length;
  const waits = [...accepted]
    .map(([id, a]) => (firstSeen.get(id) ?? NaN) - a.recordedAt)
    .filter(Number.isFinite);
  const acceptedNotSeen = [...accepted.keys()].filter((id) => !firstSeen.has(id)).length;
  const wait = summarise(waits);
  const summary = {
    seconds: config.seconds,
    writers: config.writers,
    acceptedWrites: accepted.size,
    answers: outcomes,
    writeLatencyMs: summarise(latencies),
    faults: faults.reduce<Record<string, number>>((m, f) => ({ ...m, [f]: (m[f] ?? 0) + 1 }), {}),
    storedEvents: audit.stored,
    eventsOnTopic: audit.onTopic,
    missing: audit.missing,
    duplicatesPublished: audit.duplicates,
    unknownOnTopic: audit.unknownOnTopic,
    orderViolations: audit.orderViolations,
    acceptedButNotStored: acceptedNotStored,
    acceptedButNotSeenOnTopic: acceptedNotSeen,
    longestWaitToTopicMs: wait.max,
    waitToTopicMs: wait,
    relayResumeAfterKafkaRestartMs: relayResume ?? null,
  };
  process.stdout.write(`\n${JSON.stringify(summary, null, 2)}\n`);
  process.stdout.write(
    `\naccepted writes ${accepted.size}, stored events ${audit.stored}, on the topic ${audit.onTopic}, missing ${audit.missing} (must be 0), duplicates ${audit.duplicates}, accepted but not stored ${acceptedNotStored}, longest wait to the topic ${wait.max} ms (p99 ${wait.p99} ms)\n`,
  );
  mkdirSync(resolve(ROOT, '.infra/bench'), { recursive: true });
  const file = resolve(
    ROOT,
    `.infra/bench/soak-${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}.json`,
  );
  writeFileSync(file, JSON.stringify(summary, null, 2));
  log(`summary written to ${file}`);

  await consumer.disconnect();
  await Promise.all([apps.api, apps.relay].map((app) => (app ? stopApp(app, 'SIGKILL') : undefined)));
  await admin.deleteTopics({ topics: [topic, `${topic}.dead-letter`] }).catch(() => undefined);
  await admin.disconnect();
  await db.dropDatabase();
  await mongo.close();
  infraDown(infra);
  process.exit(audit.missing === 0 && acceptedNotStored === 0 ? 0 : 1);
}

/** The broker is the one this project's script runs (so restarting it disturbs nobody else's servers). */
function ownBroker(brokers: string): boolean {
  try {
    const url = execFileSync('bash', [resolve(ROOT, 'infra/scripts/kafka.sh'), 'url'], {
      encoding: 'utf8',
    }).trim();
    return url === brokers;
  } catch {
    return false;
  }
}

async function waitHealthy(port: number, app: App): Promise<void> {
  const url = new URL(`http://127.0.0.1:${port}`);
  const deadline = Date.now() + 180_000;
  let last: unknown;
  while (Date.now() < deadline) {
    const health = await httpJson(url, 'GET', '/health', { timeoutMs: 2000 }).catch((e: Error) => e.message);
    if (typeof health === 'object' && health?.status === 200) return;
    last = typeof health === 'object' ? health?.body : health;
    await sleep(100);
  }
  throw new Error(
    `app on port ${port} not healthy within 180 s: ${JSON.stringify(last)}\n${app.output().slice(-3000)}`,
  );
}

void main().catch((error: unknown) => {
  process.stderr.write(`soak: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
