/**
 * Write-side benchmark of the pledge ledger: HTTP progress reports against the ledger API as its own process,
 * raw MongoDB inserts of event-shaped documents as a baseline, the outbox relay's publish rate against raw
 * kafkajs produce, and the relay's lag under load. Prints figures only: no thresholds, no pass/fail.
 *
 *   npm run bench:write            (see the script line in package.json)
 *
 * Environment (all optional):
 *   KAFKA_BROKERS, MONGODB_URI     servers to use; else `infra/scripts/infra.sh up` (stopped at the end if started)
 *   BENCH_CONCURRENCY=1,8,32       clients per load level
 *   BENCH_SECONDS=10               measured seconds per load level
 *   BENCH_WARMUP_SECONDS=1         unmeasured seconds before each level
 *   BENCH_ORGS=32                  organisations registered
 *   BENCH_PLEDGES_PER_ORG=3        pledges each organisation submits at set-up (shared out among the clients)
 *   BENCH_NARRATIVE_CHARS=420      narrative length of a progress report (sets the event size, ~1 KB)
 *   BENCH_CONTENTION_PLEDGES=2     pledges shared by all clients in the contention level (0: skip)
 *   BENCH_DB_EXTRAS=1              at the top concurrency: raw inserts with all the events indexes, and the event
 *                                  store as a library (head + append with snapshot, no HTTP)
 *   BENCH_STREAM_PROBE=300         reports written in turn to one pledge to show the cost of stream length (0: skip)
 *   BENCH_STREAM_PROBE_SECONDS=30  ... or fewer, if that takes longer than this
 *   BENCH_RELAY_BACKLOG=2000       events the relay finds waiting: what the HTTP load left, topped up with
 *                                  hash-chained events appended through MongoEventStore (50 per pledge stream)
 *   BENCH_RELAY_DRAIN_SECONDS=90   stop timing the drain after this long (the rate so far is reported)
 *   BENCH_RELAY_LAG=1              one more load level with the relay running, sampling its lag (0: skip)
 *   RELAY_BATCH_SIZE=500           the relay's batch size, also the batch size of the raw kafkajs baseline
 *   PLEDGE_EVENTS_PARTITIONS=6     partitions of the pledge-event topic (and of the baseline topic)
 */
import { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import { CompressionTypes, Kafka, Partitioners } from 'kafkajs';
import { BSON, Collection, Db, Document, MongoClient } from 'mongodb';
// Only modules that load no Nest configuration: @ledger/config validates process.env when it is imported.
import { createKafka } from '@ledger/messaging/kafka-client';
import { encodeEvent } from '@ledger/messaging/pledge-event-codec';
import { ensureTopic } from '@ledger/messaging/topics';
import type { RecordedEvent } from '@ledger/event-store';
import { evolve, initialPledgeState, pledgeEventOf, PledgeState } from '@ledger/domain';
import { startApp, stopApp } from '../support/app-process';
import {
  clientAgent,
  closedLoop,
  cpuCount,
  CpuWindow,
  envInt,
  envList,
  fmt,
  freePort,
  httpJson,
  httpRequest,
  Infra,
  infraDown,
  infraServerPid,
  infraUp,
  LoadResult,
  mapLimit,
  markdownTable,
  pidListeningOn,
  Outcome,
  processAlive,
  procStatusMiB,
  ROOT,
  RssSampler,
  sleep,
  staleBuild,
  summarise,
  LatencySummary,
} from './bench-support';
import { runBenchmark } from './support/lifecycle';

// ---- configuration -----------------------------------------------------------------------------------------

const config = {
  concurrency: envList('BENCH_CONCURRENCY', [1, 8, 32]),
  seconds: envInt('BENCH_SECONDS', 10),
  warmupSeconds: envInt('BENCH_WARMUP_SECONDS', 1),
  orgs: envInt('BENCH_ORGS', 32),
  pledgesPerOrg: envInt('BENCH_PLEDGES_PER_ORG', 3),
  narrativeChars: envInt('BENCH_NARRATIVE_CHARS', 420),
  contentionPledges: envInt('BENCH_CONTENTION_PLEDGES', 2),
  dbExtras: envInt('BENCH_DB_EXTRAS', 1) > 0,
  streamProbe: envInt('BENCH_STREAM_PROBE', 300),
  streamProbeSeconds: envInt('BENCH_STREAM_PROBE_SECONDS', 30),
  relayLag: envInt('BENCH_RELAY_LAG', 1) > 0,
  relayBacklog: envInt('BENCH_RELAY_BACKLOG', 2000),
  relayDrainSeconds: envInt('BENCH_RELAY_DRAIN_SECONDS', 90),
  relayBatchSize: envInt('RELAY_BATCH_SIZE', 500),
  partitions: envInt('PLEDGE_EVENTS_PARTITIONS', 6),
};
const maxConcurrency = Math.max(...config.concurrency);
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
const runId = `bench_${stamp}_${randomBytes(2).toString('hex')}`;
const topic = `${runId}_pledge_events`;
const deadLetterTopic = `${topic}.dead-letter`;
const baselineTopic = `${runId}_kafka_baseline`;
const adminKey = `bench_admin_${randomBytes(24).toString('base64url')}`;
const AS_OF = '2026-01-31';

function log(message: string): void {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

// ---- processes and clean-up -----------------------------------------------------------------------------------

type App = ChildProcess & { output: () => string };
const children = new Set<App>();
const startedPids: { name: string; pid: number }[] = [];
const cleanups: { name: string; run: () => Promise<unknown> | unknown }[] = [];
let cleaning: Promise<void> | undefined;

async function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const child of children) await stopApp(child).catch(() => undefined);
    children.clear();
    for (const { name, run } of cleanups.reverse()) {
      try {
        await run();
      } catch (error) {
        log(`clean-up "${name}" failed: ${(error as Error).message}`);
      }
    }
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping what the benchmark started`);
    void cleanUp().finally(() => process.exit(130));
  });
}

async function launchApp(
  app: 'ledger-api' | 'relay',
  env: Record<string, string>,
): Promise<{ child: App; url: URL; startupMs: number }> {
  const started = Date.now();
  const child = startApp(app, env) as App;
  children.add(child);
  if (child.pid) startedPids.push({ name: app, pid: child.pid });
  const url = new URL(`http://127.0.0.1:${env.HTTP_PORT}`);
  const deadline = started + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `${app} exited during start-up (${child.exitCode ?? child.signalCode}):\n${child.output()}`,
      );
    }
    const printedUrl = app === 'ledger-api' ? /LEDGER_API_URL=(\S+)/.exec(child.output())?.[1] : url.href;
    if (printedUrl) {
      const health = await httpJson(new URL(printedUrl), 'GET', '/health', { timeoutMs: 5000 }).catch(
        () => null,
      );
      if (health?.status === 200) return { child, url: new URL(printedUrl), startupMs: Date.now() - started };
    }
    await sleep(200);
  }
  throw new Error(`${app} not healthy within 180 s:\n${child.output()}`);
}

async function stopChild(child: App): Promise<void> {
  await stopApp(child);
  children.delete(child);
}

// ---- results -----------------------------------------------------------------------------------------------

interface PhaseResult extends LoadResult {
  name: string;
  kind: 'http' | 'mongo';
  /** Events in the store when the level started (the collection the API reads and writes). */
  eventsBefore?: number;
  /** Stream length (events per pledge written in the level) at its end: mean and max. */
  streamLength?: { mean: number; max: number };
  /** Mean bytes of a 2xx response body. */
  responseBytes?: number;
  /** Peak VmRSS (MiB) of the processes sampled during the level. */
  rssPeakMiB: Record<string, number>;
  /** CPU of each process during the level, in % of one core (the machine has cpuCount() cores). */
  cpu: Record<string, number>;
  relayLag?: { maxUnpublished: number; maxOldestAgeMs: number; samples: number; catchUpMs: number };
}

const phases: PhaseResult[] = [];

// ---- the benchmark -------------------------------------------------------------------------------------------

interface Org {
  id: string;
  apiKey: string;
}
interface Pledge {
  id: string;
  key: string;
  writes: number;
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  log(`run ${runId}: concurrency ${config.concurrency.join(',')}, ${config.seconds} s per level`);

  const infra: Infra = infraUp();
  cleanups.push({
    name: 'infra',
    run: () => {
      const stopped = infraDown(infra);
      if (stopped.length) log(`stopped the servers this run started: ${stopped.join(', ')}`);
    },
  });
  log(
    `servers (${infra.source}): KAFKA_BROKERS=${infra.kafkaBrokers} MONGODB_URI=${infra.mongoUri}` +
      ` (started by this run: kafka=${infra.started.kafka}, mongo=${infra.started.mongo})`,
  );
  const mongoPort = Number(new URL(infra.mongoUri).port || 27017);
  const kafkaPort = Number(infra.kafkaBrokers.split(',')[0].split(':')[1]);
  const mongoPid = infraServerPid('mongo', mongoPort) ?? pidListeningOn(mongoPort);
  const kafkaPid = infraServerPid('kafka', kafkaPort) ?? pidListeningOn(kafkaPort);
  log(`server processes (for CPU figures): database pid ${mongoPid ?? '?'}, Kafka pid ${kafkaPid ?? '?'}`);

  // The harness (for the tests' pledge body) loads the ledger's config module, which reads these.
  process.env.MONGODB_URI = infra.mongoUri;
  process.env.KAFKA_BROKERS = infra.kafkaBrokers;
  const { samplePledge } = await import('../support/ledger-api.harness');
  const { MongoEventStore, eventKey } = await import('@ledger/event-store/mongo-event-store');

  // The same client options as the apps (libs/database createMongoClient).
  const mongo: MongoClient = await new MongoClient(infra.mongoUri, {
    serverSelectionTimeoutMS: 5000,
    maxPoolSize: 50,
    appName: runId,
    ignoreUndefined: true,
  }).connect();
  const db: Db = mongo.db(runId);
  // The event-store level writes to a database of its own, so the relay's backlog is the API's alone.
  const storeDb: Db = mongo.db(`${runId}_store`);
  cleanups.push({ name: 'mongo client', run: () => mongo.close() });
  cleanups.push({ name: 'drop database', run: () => db.dropDatabase() });
  cleanups.push({ name: 'drop store database', run: () => storeDb.dropDatabase() });
  // The API's read-model database (MONGODB_READ_DB's default), should anything have been written there.
  cleanups.push({ name: 'drop read database', run: () => mongo.db(`${runId}_read`).dropDatabase() });
  const events = db.collection('events');
  const outbox = db.collection('outbox');

  // Failures surface as thrown errors; kafkajs's own log of retried metadata races is only noise here.
  const kafka: Kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: runId, logLevel: 'fatal' });
  const admin = kafka.admin();
  await admin.connect();
  cleanups.push({ name: 'kafka admin', run: () => admin.disconnect() });
  cleanups.push({
    name: 'delete topics',
    run: async () => {
      const existing = new Set(await admin.listTopics());
      const mine = [topic, deadLetterTopic, baselineTopic].filter((t) => existing.has(t));
      if (mine.length) await admin.deleteTopics({ topics: mine, timeout: 10_000 });
    },
  });

  const rss = new RssSampler(100);
  rss.start();
  cleanups.push({ name: 'rss sampler', run: () => rss.stop() });

  const appEnv = {
    NODE_ENV: 'production',
    MONGODB_URI: infra.mongoUri,
    MONGODB_DB: runId,
    KAFKA_BROKERS: infra.kafkaBrokers,
    PLEDGE_EVENTS_TOPIC: topic,
    DEAD_LETTER_TOPIC: deadLetterTopic,
    PLEDGE_EVENTS_PARTITIONS: String(config.partitions),
    RELAY_BATCH_SIZE: String(config.relayBatchSize),
    ADMIN_API_KEY: adminKey,
    HTTP_HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    RELAY_IN_PROCESS: 'false',
  };

  const stale = staleBuild(['ledger-api', 'relay']);
  if (stale && process.env.LEDGER_TEST_FROM_SOURCE === undefined) {
    // startApp reads this: run the apps from source rather than measure an outdated build.
    process.env.LEDGER_TEST_FROM_SOURCE = 'true';
    log(`${stale}: starting the apps from source (run \`npm run build\` to benchmark a build)`);
  }

  // ---- 1. set-up --------------------------------------------------------------------------------------------
  const api = await launchApp('ledger-api', { ...appEnv, HTTP_PORT: String(await freePort()) });
  rss.track('api', api.child.pid!);
  log(`ledger API up at ${api.url.origin} in ${api.startupMs} ms (pid ${api.child.pid})`);

  const registerStarted = Date.now();
  const orgs: Org[] = await mapLimit(
    Array.from({ length: config.orgs }, (_, i) => i),
    8,
    async (i) => {
      const result = await httpJson<Org>(api.url, 'POST', '/actors/organisations', {
        key: adminKey,
        body: { name: `Bench organisation ${i + 1} ${runId}`, type: 'government', country: 'KE' },
      });
      if (result.status !== 201) throw new Error(`registering organisation ${i}: ${result.status}`);
      return result.body;
    },
  );
  log(`registered ${orgs.length} organisations in ${Date.now() - registerStarted} ms`);

  const narrative = 'Progress in the counties: '.padEnd(config.narrativeChars, ' women online and trained.');
  const progressBody = (seq: number) =>
    JSON.stringify({
      targetId: 'women-online',
      value: 30 + (seq % 20),
      asOf: AS_OF,
      narrative,
      evidence: [],
    });

  const submissions: number[] = [];
  async function submitPledges(count: number, owners: Org[]): Promise<Pledge[]> {
    return mapLimit(
      Array.from({ length: count }, (_, j) => owners[j % owners.length]),
      8,
      async (org) => {
        const started = process.hrtime.bigint();
        const result = await httpJson<{ pledgeId: string }>(api.url, 'POST', '/pledges', {
          key: org.apiKey,
          body: samplePledge(),
        });
        submissions.push(Number(process.hrtime.bigint() - started) / 1e6);
        if (result.status !== 201)
          throw new Error(`submitting a pledge: ${result.status} ${JSON.stringify(result.body)}`);
        return { id: result.body.pledgeId, key: org.apiKey, writes: 0 };
      },
    );
  }

  // One report so that raw baselines can copy the shape and size of a real ProgressReported event.
  const [probePledge] = await submitPledges(1, orgs);
  const first = await httpRequest(api.url, 'POST', `/pledges/${probePledge.id}/progress`, {
    headers: { authorization: `Bearer ${probePledge.key}` },
    body: progressBody(0),
  });
  if (first.status !== 201) throw new Error(`first progress report: ${first.status} ${first.body}`);
  const template = (await events.findOne({ type: 'ProgressReported' }))!;
  const submittedDoc = (await events.findOne({ type: 'PledgeSubmitted' }))!;
  const eventBytes = {
    progressReported: BSON.calculateObjectSize(template),
    pledgeSubmitted: BSON.calculateObjectSize(submittedDoc),
  };
  const kafkaMessageBytes = Buffer.byteLength(encodeEvent(toRecorded(template)).value as string);
  const requestBytes = Buffer.byteLength(progressBody(0));
  log(
    `event sizes: ProgressReported ${eventBytes.progressReported} B (BSON), PledgeSubmitted ${eventBytes.pledgeSubmitted} B;` +
      ` Kafka value ${kafkaMessageBytes} B; request body ${requestBytes} B`,
  );
  const eventIndexes = (await events.indexes()).filter((i) => i.name !== '_id_');

  const serverPids = { api: api.child.pid, ferretdb: mongoPid, kafka: kafkaPid };

  /**
   * Waits until the API and the database are idle (under 15% of a core over 500 ms; at most 15 s, as a shared
   * database may never be): requests a client gave up on are still being worked on by the server and would
   * slow down the next level.
   */
  async function settle(): Promise<void> {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const window = new CpuWindow({ api: api.child.pid, ferretdb: mongoPid });
      await sleep(500);
      const cpu = window.end();
      if ((cpu.api ?? 0) < 15 && (cpu.ferretdb ?? 0) < 15) return;
    }
    log('the API or the database was still busy 15 s after the level');
  }

  // ---- 2. HTTP write load, 3. raw insert baselines -------------------------------------------------------
  async function httpLevel(
    name: string,
    concurrency: number,
    pledges: Pledge[],
    extraPids = {},
    settleAfter = true,
  ) {
    const perClient: Pledge[][] = Array.from({ length: concurrency }, () => []);
    pledges.forEach((p, j) => perClient[j % concurrency].push(p));
    const agents = Array.from({ length: concurrency }, () => clientAgent());
    let responseBytes = 0;
    let responses = 0;
    const eventsBefore = await events.estimatedDocumentCount();
    rss.resetWindow();
    const cpu = new CpuWindow({ ...serverPids, ...extraPids });
    const result = await closedLoop({
      concurrency,
      warmupMs: config.warmupSeconds * 1000,
      measureMs: config.seconds * 1000,
      op: async (client, seq): Promise<Outcome> => {
        const mine = perClient[client];
        const pledge = mine[seq % mine.length];
        const answer = await httpRequest(api.url, 'POST', `/pledges/${pledge.id}/progress`, {
          agent: agents[client],
          headers: { authorization: `Bearer ${pledge.key}` },
          body: progressBody(seq),
        });
        const success = answer.status >= 200 && answer.status < 300;
        if (success) {
          pledge.writes += 1;
          responseBytes += answer.body.length;
          responses += 1;
        }
        return { outcome: String(answer.status), success, detail: answer.body };
      },
    });
    const cpuUse = cpu.end();
    const rssPeak = rss.resetWindow();
    agents.forEach((a) => a.destroy());
    if (settleAfter) await settle();
    const lengths = [...new Set(pledges)].map((p) => 1 + p.writes);
    const phase: PhaseResult = {
      ...result,
      name,
      kind: 'http',
      eventsBefore,
      streamLength: { mean: lengths.reduce((a, b) => a + b, 0) / lengths.length, max: Math.max(...lengths) },
      responseBytes: responses ? responseBytes / responses : undefined,
      rssPeakMiB: rssPeak,
      cpu: cpuUse,
    };
    phases.push(phase);
    log(describePhase(phase));
    return phase;
  }

  async function rawCollection(name: string, allIndexes: boolean): Promise<Collection<Document>> {
    const collection = db.collection(name);
    if (allIndexes) {
      for (const index of eventIndexes) {
        const { key, name: indexName, unique } = index;
        await collection.createIndex(key, { name: indexName, ...(unique ? { unique: true } : {}) });
      }
    } else {
      await collection.createIndex(
        { streamId: 1, version: 1 },
        { unique: true, name: 'stream_version_unique' },
      );
    }
    return collection;
  }

  /** Raw inserts of event-shaped documents, same concurrency, each client on its own streams. */
  async function mongoLevel(
    name: string,
    concurrency: number,
    collection: Collection<Document>,
    streamsPerClient: number,
  ) {
    const versions = new Map<string, number>();
    const streamOf = (client: number, seq: number) => `raw-${name}-${client}-${seq % streamsPerClient}`;
    rss.resetWindow();
    const cpu = new CpuWindow(serverPids);
    const result = await closedLoop({
      concurrency,
      warmupMs: config.warmupSeconds * 1000,
      measureMs: config.seconds * 1000,
      op: async (client, seq): Promise<Outcome> => {
        const streamId = streamOf(client, seq);
        const version = (versions.get(streamId) ?? 0) + 1;
        const recordedAt = new Date().toISOString();
        try {
          await collection.insertOne({
            ...template,
            _id: eventKey(streamId, version) as never,
            eventId: randomUUID(),
            streamId,
            version,
            recordedAt,
            occurredAt: recordedAt,
          });
        } catch (error) {
          if ((error as { code?: number }).code === 11000) return { outcome: 'duplicate', success: false };
          throw error;
        }
        versions.set(streamId, version);
        return { outcome: 'ok', success: true };
      },
    });
    const phase: PhaseResult = {
      ...result,
      name,
      kind: 'mongo',
      rssPeakMiB: rss.resetWindow(),
      cpu: cpu.end(),
    };
    phases.push(phase);
    log(describePhase(phase));
    return phase;
  }

  /**
   * The event store as a library, in this process: per write what the API's command handler asks of it (the
   * stream head with its snapshot, then an append that chains the hash and stores the new fold), without
   * HTTP, Nest, authentication or validation.
   */
  async function storeLevel(name: string, concurrency: number, streamsPerClient: number) {
    const store = new MongoEventStore(storeDb);
    await store.ensureIndexes();
    const metadata = { principal: template.principal, correlationId: `${runId}-store` };
    const pledgeIds = Array.from({ length: concurrency * streamsPerClient }, () => randomUUID());
    await mapLimit(pledgeIds, 8, async (pledgeId) => {
      const submitted = { type: 'PledgeSubmitted', payload: { ...submittedDoc.payload, pledgeId } };
      const state = evolve(initialPledgeState, pledgeEventOf(submitted));
      await store.append(`pledge-${pledgeId}`, 0, submitted, metadata, { kind: 'bench', state });
    });
    rss.resetWindow();
    const cpu = new CpuWindow(serverPids);
    const result = await closedLoop({
      concurrency,
      warmupMs: config.warmupSeconds * 1000,
      measureMs: config.seconds * 1000,
      op: async (client, seq): Promise<Outcome> => {
        const pledgeId = pledgeIds[client * streamsPerClient + (seq % streamsPerClient)];
        const streamId = `pledge-${pledgeId}`;
        const head = await store.head(streamId);
        const state = head.snapshot
          ? (head.snapshot.state as PledgeState)
          : (await store.readStream(streamId)).map(pledgeEventOf).reduce(evolve, initialPledgeState);
        const event = {
          type: 'ProgressReported',
          payload: {
            ...template.payload,
            pledgeId,
            reportId: randomUUID(),
            reportedAt: new Date().toISOString(),
          },
        };
        const after = evolve(state, pledgeEventOf(event));
        await store.append(streamId, head.version, event, metadata, { kind: 'bench', state: after });
        return { outcome: 'ok', success: true };
      },
    });
    const phase: PhaseResult = {
      ...result,
      name,
      kind: 'mongo',
      rssPeakMiB: rss.resetWindow(),
      cpu: cpu.end(),
    };
    phases.push(phase);
    log(describePhase(phase));
    return phase;
  }

  // The pledges every level writes to: each client gets its own share of them (no two clients on one pledge).
  const poolStarted = Date.now();
  const pool = await submitPledges(Math.max(config.orgs * config.pledgesPerOrg, maxConcurrency), orgs);
  log(`${pool.length} pledges submitted in ${Date.now() - poolStarted} ms`);
  const httpByConcurrency = new Map<number, PhaseResult>();
  const rawByConcurrency = new Map<number, PhaseResult>();
  for (const concurrency of config.concurrency) {
    httpByConcurrency.set(concurrency, await httpLevel(`http c=${concurrency}`, concurrency, pool));
    const raw = await rawCollection(`raw_insert_c${concurrency}`, false);
    const streams = Math.max(1, Math.round(pool.length / concurrency));
    rawByConcurrency.set(
      concurrency,
      await mongoLevel(`raw insert c=${concurrency}`, concurrency, raw, streams),
    );
  }

  let storeAtMax: PhaseResult | undefined;
  if (config.dbExtras) {
    const streams = Math.max(1, Math.round(pool.length / maxConcurrency));
    const allIndexed = await rawCollection('raw_insert_all_indexes', true);
    await mongoLevel(
      `raw insert, all event indexes c=${maxConcurrency}`,
      maxConcurrency,
      allIndexed,
      streams,
    );
    storeAtMax = await storeLevel(`event store head+append c=${maxConcurrency}`, maxConcurrency, streams);
  }

  // ---- stream length probe: one client, one pledge, N reports in turn ----------------------------------------
  let streamProbe:
    { writes: number; first: LatencySummary; last: LatencySummary; responseBytes: number[] } | undefined;
  if (config.streamProbe > 0) {
    const [pledge] = await submitPledges(1, orgs);
    const agent = clientAgent();
    const latencies: number[] = [];
    const sizes: number[] = [];
    const probeDeadline = Date.now() + config.streamProbeSeconds * 1000;
    for (let seq = 0; seq < config.streamProbe && Date.now() < probeDeadline; seq++) {
      const started = process.hrtime.bigint();
      const answer = await httpRequest(api.url, 'POST', `/pledges/${pledge.id}/progress`, {
        agent,
        headers: { authorization: `Bearer ${pledge.key}` },
        body: progressBody(seq),
      });
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      sizes.push(answer.body.length);
      if (answer.status !== 201)
        throw new Error(`stream probe write ${seq}: ${answer.status} ${answer.body.slice(0, 300)}`);
    }
    agent.destroy();
    const writes = latencies.length;
    const window = Math.min(50, Math.floor(writes / 2) || 1);
    streamProbe = {
      writes,
      first: summarise(latencies.slice(0, window)),
      last: summarise(latencies.slice(-window)),
      responseBytes: [sizes[0], sizes[sizes.length - 1]],
    };
    log(
      `stream probe: versions 2-${window + 1}: p50 ${fmt(streamProbe.first.p50)} ms;` +
        ` versions ${writes - window + 2}-${writes + 1}: p50 ${fmt(streamProbe.last.p50)} ms;` +
        ` response ${sizes[0]} B -> ${sizes[sizes.length - 1]} B`,
    );
  }

  // Database CPU with nothing to do, without the relay (and later with an idle relay running).
  const idleSeconds = 5;
  const idleWithout = new CpuWindow({ ferretdb: mongoPid, api: api.child.pid });
  await sleep(idleSeconds * 1000);
  const idleWithoutRelay = idleWithout.end();

  if (config.contentionPledges > 0) {
    const contended = await submitPledges(config.contentionPledges, [orgs[0]]);
    // Every client on the same few pledges: no If-Match, so the API retries a lost race up to 3 times.
    // Client i gets entry i: the same few pledge objects, shared.
    const shared = Array.from({ length: maxConcurrency }, (_, i) => contended[i % contended.length]);
    await httpLevel(
      `http contention c=${maxConcurrency} on ${contended.length} pledges`,
      maxConcurrency,
      shared,
    );
  }

  // Requests given up on by their clients (timeouts) may still be running in the API.
  await settle();

  // ---- 4. relay: drain the backlog, then its lag under load ------------------------------------------------
  const fromLoad = await outbox.countDocuments({});
  const seeded = Math.max(0, config.relayBacklog - fromLoad);
  if (seeded > 0) {
    const store = new MongoEventStore(db);
    const perStream = 50;
    for (let done = 0; done < seeded; done += perStream) {
      const pledgeId = randomUUID();
      const count = Math.min(perStream, seeded - done);
      for (let version = 0; version < count; version++)
        await store.append(
          `pledge-${pledgeId}`,
          version,
          { type: 'ProgressReported', payload: { ...template.payload, pledgeId, reportId: randomUUID() } },
          { principal: template.principal, correlationId: `${runId}-seed` },
        );
    }
  }
  const backlog = await outbox.countDocuments({});
  log(`relay backlog: ${fromLoad} events from the HTTP load + ${seeded} appended through the event store`);
  const totalEvents = await events.countDocuments({});
  log(`relay: ${backlog} unpublished events (of ${totalEvents}); starting the relay`);
  const relayPort = await freePort();
  const relaySpawned = Date.now();
  const relayChild = startApp('relay', { ...appEnv, HTTP_PORT: String(relayPort) }) as App;
  children.add(relayChild);
  startedPids.push({ name: 'relay', pid: relayChild.pid! });
  rss.track('relay', relayChild.pid!);
  const relayUrl = new URL(`http://127.0.0.1:${relayPort}`);
  type RelayLag = {
    unpublished: number;
    oldestUnpublishedAgeMs: number;
    publishedTotal: number;
    batches: number;
    running: boolean;
    lastError: string | null;
  };
  const relayLag = async (): Promise<RelayLag | undefined> => {
    const health = await httpJson<{ details?: { relay?: RelayLag } }>(relayUrl, 'GET', '/health', {
      timeoutMs: 10_000,
    }).catch(() => undefined);
    return health?.body?.details?.relay;
  };
  /** Messages on the relay's topic: the sum of the partitions' high watermarks (no load on the database). */
  const topicMessages = async (name: string): Promise<number | undefined> => {
    // Until the relay has created its topic, asking for its offsets only makes kafkajs log errors.
    if (!(await admin.listTopics().catch(() => [] as string[])).includes(name)) return undefined;
    const offsets = await admin.fetchTopicOffsets(name).catch(() => undefined);
    return offsets?.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  };
  // Timed from the topic's offsets, polled every 100 ms: polling the relay's /health instead would query the
  // database whose speed is being measured.
  let relayCpu: CpuWindow | undefined;
  let firstSeen: { at: number; published: number } | undefined;
  let publishedAt: number | undefined;
  let onTopicAtEnd = 0;
  let drained = false;
  while (Date.now() - relaySpawned < 180_000 + config.relayDrainSeconds * 1000) {
    if (relayChild.exitCode !== null || relayChild.signalCode !== null) {
      throw new Error(
        `relay exited (${relayChild.exitCode ?? relayChild.signalCode}):\n${relayChild.output()}`,
      );
    }
    const onTopic = await topicMessages(topic);
    if (onTopic !== undefined && onTopic > 0 && !firstSeen) {
      firstSeen = { at: Date.now(), published: onTopic };
      relayCpu = new CpuWindow({ relay: relayChild.pid, ferretdb: mongoPid, kafka: kafkaPid });
    }
    if (onTopic !== undefined) onTopicAtEnd = onTopic;
    if (onTopic !== undefined && onTopic >= backlog) {
      publishedAt = Date.now();
      drained = true;
      break;
    }
    if (firstSeen && Date.now() - firstSeen.at > config.relayDrainSeconds * 1000) {
      publishedAt = Date.now();
      log(
        `relay: ${onTopicAtEnd} of ${backlog} published after ${config.relayDrainSeconds} s; timing stops here`,
      );
      break;
    }
    await sleep(100);
  }
  if (!publishedAt || !firstSeen)
    throw new Error(`relay published nothing within the time allowed:\n${relayChild.output()}`);
  const relayDrainCpu = relayCpu?.end() ?? {};
  // Then the outbox itself must read zero (the last batch is marked published after Kafka's ack).
  let lastLag: RelayLag | undefined;
  let drainedAt: number | undefined;
  while (drained && Date.now() - publishedAt < 120_000) {
    lastLag = await relayLag();
    if (lastLag && lastLag.unpublished === 0) {
      drainedAt = Date.now();
      break;
    }
    await sleep(100);
  }
  if (drained && !drainedAt) throw new Error(`relay did not empty the outbox:\n${relayChild.output()}`);
  lastLag ??= await relayLag();
  // More messages on the (fresh) topic than events stored: some were published twice (at least once is
  // allowed, but costs). Compared with the store, not the backlog: a request still running in the API may
  // have recorded events since the backlog was counted.
  const duplicatesOnTopic = drained
    ? Math.max(0, ((await topicMessages(topic)) ?? 0) - (await events.countDocuments({})))
    : 0;
  const publishedCount = drained ? backlog : onTopicAtEnd;
  const steadyEvents = publishedCount - firstSeen.published;
  const steadySeconds = (publishedAt - firstSeen.at) / 1000;
  const relayDrain = {
    backlog,
    drained,
    published: lastLag?.publishedTotal ?? onTopicAtEnd,
    duplicatesOnTopic,
    batches: lastLag?.batches ?? 0,
    firstOnTopicMs: firstSeen.at - relaySpawned,
    allOnTopicMs: drained ? publishedAt - relaySpawned : undefined,
    outboxEmptyMs: drainedAt ? drainedAt - relaySpawned : undefined,
    steadyEventsPerSecond: steadySeconds > 0 && steadyEvents > 0 ? steadyEvents / steadySeconds : undefined,
    overallEventsPerSecond: publishedCount / ((publishedAt - relaySpawned) / 1000),
    rssPeakMiB: rss.peak('relay'),
    cpu: relayDrainCpu,
  };
  log(
    `relay published ${publishedCount} of ${backlog} events: first on the topic ${relayDrain.firstOnTopicMs} ms after spawn,` +
      ` all ${relayDrain.allOnTopicMs ?? '–'} ms, outbox empty ${relayDrain.outboxEmptyMs ?? '–'} ms;` +
      ` steady ${fmt(relayDrain.steadyEventsPerSecond)} events/s; peak RSS ${fmt(relayDrain.rssPeakMiB)} MiB`,
  );

  // Only meaningful once the relay has nothing left to publish.
  let idleWithRelay: Record<string, number> = {};
  if (drained) {
    const idleWith = new CpuWindow({ ferretdb: mongoPid, relay: relayChild.pid });
    await sleep(idleSeconds * 1000);
    idleWithRelay = idleWith.end();
    log(
      `idle for ${idleSeconds} s: database CPU ${fmt(idleWithoutRelay.ferretdb, 0)}% without the relay,` +
        ` ${fmt(idleWithRelay.ferretdb, 0)}% with an idle relay (relay ${fmt(idleWithRelay.relay, 0)}%);` +
        ` ${await events.estimatedDocumentCount()} events stored`,
    );
  }

  if (config.relayLag && !drained)
    log('relay lag under load: skipped, the relay has not caught up with its backlog');
  if (config.relayLag && drained) {
    const pledges = pool;
    const lag = { maxUnpublished: 0, maxOldestAgeMs: 0, samples: 0, catchUpMs: 0 };
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const sample = await relayLag();
        if (sample) {
          lag.samples += 1;
          lag.maxUnpublished = Math.max(lag.maxUnpublished, sample.unpublished);
          lag.maxOldestAgeMs = Math.max(lag.maxOldestAgeMs, sample.oldestUnpublishedAgeMs);
        }
        await sleep(500);
      }
    })();
    // No settling here: the catch-up after the load is what is timed.
    const phase = await httpLevel(
      `http c=${maxConcurrency} with relay running`,
      maxConcurrency,
      pledges,
      { relay: relayChild.pid },
      false,
    );
    sampling = false;
    await sampler;
    const loadEnded = Date.now();
    while (Date.now() - loadEnded < 300_000) {
      const sample = await relayLag();
      if (sample && sample.unpublished === 0) break;
      await sleep(100);
    }
    lag.catchUpMs = Date.now() - loadEnded;
    await settle();
    phase.relayLag = lag;
    log(
      `relay lag under load: max ${lag.maxUnpublished} unpublished, oldest ${lag.maxOldestAgeMs} ms` +
        ` (${lag.samples} samples); caught up ${lag.catchUpMs} ms after the load`,
    );
  }
  const relayHwm = procStatusMiB(relayChild.pid!, 'VmHWM');
  const relayPeak = rss.peak('relay');
  rss.untrack('relay');
  await stopChild(relayChild);

  const apiHwm = procStatusMiB(api.child.pid!, 'VmHWM');
  const apiPeak = rss.peak('api');
  rss.untrack('api');
  await stopChild(api.child);

  // ---- raw kafkajs produce of the same messages ------------------------------------------------------------
  await ensureTopic(admin, { topic: baselineTopic, numPartitions: config.partitions, replicationFactor: 1 });
  const sampleSize = Math.min(backlog, 200_000);
  const docs = await events.find({}).sort({ recordedAt: 1 }).limit(sampleSize).toArray();
  const messages = docs.map((doc) => encodeEvent(toRecorded(doc)));
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  cleanups.push({ name: 'producer', run: () => producer.disconnect() });
  // One message first, so that metadata and the producer id are fetched outside the timing.
  await producer.send({ topic: baselineTopic, acks: -1, messages: [messages[0]] });
  const batchLatencies: number[] = [];
  const kafkaCpu = new CpuWindow({ kafka: kafkaPid });
  const produceStarted = process.hrtime.bigint();
  for (let i = 0; i < messages.length; i += config.relayBatchSize) {
    const started = process.hrtime.bigint();
    await producer.send({
      topic: baselineTopic,
      acks: -1,
      compression: CompressionTypes.None,
      messages: messages.slice(i, i + config.relayBatchSize),
    });
    batchLatencies.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  const produceSeconds = Number(process.hrtime.bigint() - produceStarted) / 1e9;
  const kafkaBaseline = {
    messages: messages.length,
    batchSize: config.relayBatchSize,
    seconds: produceSeconds,
    messagesPerSecond: messages.length / produceSeconds,
    batchLatency: summarise(batchLatencies),
    meanValueBytes: messages.reduce((a, m) => a + Buffer.byteLength(m.value as string), 0) / messages.length,
    cpu: kafkaCpu.end(),
  };
  log(
    `raw kafkajs produce: ${kafkaBaseline.messages} messages in ${fmt(produceSeconds, 2)} s =` +
      ` ${fmt(kafkaBaseline.messagesPerSecond)} msg/s (batch p50 ${fmt(kafkaBaseline.batchLatency.p50)} ms)`,
  );

  // ---- 5. summary -----------------------------------------------------------------------------------------
  const summary = {
    runId,
    startedAt: new Date(startedAt).toISOString(),
    durationSeconds: 0,
    config,
    machine: {
      cpus: cpuCount(),
      memoryMiB: Math.round(os.totalmem() / 2 ** 20),
      loadAverage: os.loadavg(),
      node: process.version,
      appsFrom:
        existsSync(resolve(ROOT, 'dist/apps/ledger-api/main.js')) &&
        process.env.LEDGER_TEST_FROM_SOURCE !== 'true'
          ? 'dist'
          : 'source (ts-node transpile-only)',
    },
    infra: { source: infra.source, kafkaBrokers: infra.kafkaBrokers, mongoUri: infra.mongoUri },
    sizes: { eventBsonBytes: eventBytes, kafkaValueBytes: kafkaMessageBytes, requestBodyBytes: requestBytes },
    setup: { organisations: orgs.length, pledgeSubmissions: summarise(submissions) },
    phases,
    ratios: config.concurrency.map((c) => ({
      concurrency: c,
      acceptedPerSecond: httpByConcurrency.get(c)!.successPerSecond,
      rawInsertsPerSecond: rawByConcurrency.get(c)!.successPerSecond,
      ratio: httpByConcurrency.get(c)!.successPerSecond / rawByConcurrency.get(c)!.successPerSecond,
    })),
    eventStoreLibrary: storeAtMax
      ? {
          concurrency: maxConcurrency,
          appendsPerSecond: storeAtMax.successPerSecond,
          httpAcceptedPerSecond: httpByConcurrency.get(maxConcurrency)!.successPerSecond,
          ratio: httpByConcurrency.get(maxConcurrency)!.successPerSecond / storeAtMax.successPerSecond,
        }
      : undefined,
    streamProbe,
    relay: {
      backlogFromLoad: fromLoad,
      backlogSeeded: seeded,
      drain: relayDrain,
      peakRssMiB: relayPeak,
      vmHwmMiB: relayHwm,
      idle: { seconds: idleSeconds, withoutRelay: idleWithoutRelay, withRelay: idleWithRelay },
    },
    kafkaBaseline,
    relayVsKafka: relayDrain.steadyEventsPerSecond
      ? relayDrain.steadyEventsPerSecond / kafkaBaseline.messagesPerSecond
      : undefined,
    api: { startupMs: api.startupMs, peakRssMiB: apiPeak, vmHwmMiB: apiHwm },
    processesLeft: [] as string[],
  };

  await cleanUp();
  await sleep(200);
  summary.processesLeft = startedPids
    .filter((p) => processAlive(p.pid))
    .map((p) => `${p.name} (pid ${p.pid})`);
  summary.durationSeconds = (Date.now() - startedAt) / 1000;

  const report = renderReport(summary);
  process.stdout.write(`\n${report}\n`);
  const dir = resolve(ROOT, '.infra/bench');
  mkdirSync(dir, { recursive: true });
  const file = resolve(dir, `write-${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`);
  log(`summary written to ${file}`);
  if (summary.processesLeft.length) {
    log(`PROCESSES LEFT RUNNING: ${summary.processesLeft.join(', ')}`);
    process.exitCode = 1;
  } else {
    log(`all ${startedPids.length} processes the benchmark started have exited`);
  }
}

/** A stored event document as the relay sends it: without its storage key. */
function toRecorded(doc: Document): RecordedEvent {
  const { _id: _key, ...event } = doc;
  return event as RecordedEvent;
}

function outcomesText(outcomes: Record<string, number>): string {
  const failures = Object.entries(outcomes).filter(([k]) => !/^2\d\d$/.test(k) && k !== 'ok');
  return failures.length ? failures.map(([k, v]) => `${k}×${v}`).join(' ') : 'none';
}

function describePhase(p: PhaseResult): string {
  const unit = p.kind === 'http' ? 'accepted/s' : 'inserts/s';
  return (
    `${p.name}: ${fmt(p.successPerSecond)} ${unit}, p50 ${fmt(p.latency.p50)} p95 ${fmt(p.latency.p95)}` +
    ` p99 ${fmt(p.latency.p99)} ms, failures ${outcomesText(p.outcomes)}` +
    (Object.keys(p.failureSamples).length ? ` e.g. ${JSON.stringify(p.failureSamples).slice(0, 300)}` : '')
  );
}

function renderReport(s: {
  runId: string;
  durationSeconds: number;
  config: typeof config;
  machine: { cpus: number; loadAverage: number[]; appsFrom: string; node: string };
  sizes: { eventBsonBytes: { progressReported: number; pledgeSubmitted: number }; kafkaValueBytes: number };
  setup: { organisations: number; pledgeSubmissions: LatencySummary };
  phases: PhaseResult[];
  ratios: { concurrency: number; acceptedPerSecond: number; rawInsertsPerSecond: number; ratio: number }[];
  eventStoreLibrary?: {
    concurrency: number;
    appendsPerSecond: number;
    httpAcceptedPerSecond: number;
    ratio: number;
  };
  streamProbe?: { writes: number; first: LatencySummary; last: LatencySummary; responseBytes: number[] };
  relay: {
    backlogFromLoad: number;
    backlogSeeded: number;
    drain: {
      backlog: number;
      drained: boolean;
      published: number;
      duplicatesOnTopic: number;
      batches: number;
      firstOnTopicMs: number;
      allOnTopicMs?: number;
      outboxEmptyMs?: number;
      steadyEventsPerSecond?: number;
      overallEventsPerSecond: number;
      cpu: Record<string, number>;
    };
    peakRssMiB?: number;
    vmHwmMiB?: number;
    idle: { seconds: number; withoutRelay: Record<string, number>; withRelay: Record<string, number> };
  };
  kafkaBaseline: {
    messages: number;
    messagesPerSecond: number;
    seconds: number;
    batchLatency: LatencySummary;
  };
  relayVsKafka?: number;
  api: { startupMs: number; peakRssMiB?: number; vmHwmMiB?: number };
  processesLeft: string[];
}): string {
  const out: string[] = [];
  out.push(`## Write benchmark ${s.runId}`);
  out.push('');
  out.push(
    `${s.machine.cpus} CPUs, load average before the summary ${s.machine.loadAverage.map((l) => l.toFixed(2)).join(' ')};` +
      ` Node ${s.machine.node}; apps from ${s.machine.appsFrom}; ${s.config.seconds} s measured per level` +
      ` after ${s.config.warmupSeconds} s warm-up; closed loop (each client waits for its answer).`,
  );
  out.push(
    `Event sizes (BSON): ProgressReported ${s.sizes.eventBsonBytes.progressReported} B, PledgeSubmitted` +
      ` ${s.sizes.eventBsonBytes.pledgeSubmitted} B; Kafka message value ${s.sizes.kafkaValueBytes} B.` +
      ` Set-up: ${s.setup.organisations} organisations; ${s.setup.pledgeSubmissions.count} pledge submissions` +
      ` (8 at a time) p50 ${fmt(s.setup.pledgeSubmissions.p50)} ms.`,
  );
  out.push('');
  out.push('### Load levels');
  out.push('');
  out.push(
    markdownTable(
      [
        'level',
        'ok/s',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'max ms',
        'failures',
        'in flight at end',
        'events before',
        'stream len mean/max',
        'resp B',
        'API RSS peak MiB',
        'CPU % api/db/kafka/bench/other',
      ],
      s.phases.map((p) => [
        p.name,
        fmt(p.successPerSecond),
        fmt(p.latency.p50),
        fmt(p.latency.p95),
        fmt(p.latency.p99),
        fmt(p.latency.max),
        outcomesText(p.outcomes),
        p.inFlightAtEnd,
        p.eventsBefore ?? '',
        p.streamLength ? `${fmt(p.streamLength.mean)}/${p.streamLength.max}` : '',
        p.responseBytes ? fmt(p.responseBytes, 0) : '',
        fmt(p.rssPeakMiB.api),
        ['api', 'ferretdb', 'kafka', 'bench', 'other'].map((k) => fmt(p.cpu[k], 0)).join('/'),
      ]),
    ),
  );
  out.push('');
  out.push(
    `CPU: 100% = one core; the machine has ${s.machine.cpus}. "db" is the MongoDB-wire server (if run by the infra scripts); "other" is the rest of the machine (the relay when it runs, and processes outside the benchmark).`,
  );
  out.push('');
  out.push('### HTTP accepted/s against raw MongoDB inserts (same server, same concurrency)');
  out.push('');
  out.push(
    markdownTable(
      ['clients', 'HTTP accepted/s', 'raw inserts/s', 'ratio'],
      s.ratios.map((r) => [
        r.concurrency,
        fmt(r.acceptedPerSecond),
        fmt(r.rawInsertsPerSecond),
        fmt(r.ratio, 3),
      ]),
    ),
  );
  if (s.eventStoreLibrary) {
    const e = s.eventStoreLibrary;
    out.push('');
    out.push(
      `Event store as a library at c=${e.concurrency} (head + append with snapshot, no HTTP): ${fmt(e.appendsPerSecond)}` +
        ` appends/s; HTTP ÷ library = ${fmt(e.ratio, 3)}.`,
    );
  }
  const lagPhase = s.phases.find((p) => p.relayLag);
  if (s.streamProbe) {
    out.push('');
    out.push(`### Stream length: one client writing ${s.streamProbe.writes} reports to one pledge in turn`);
    out.push('');
    out.push(
      markdownTable(
        ['writes', 'p50 ms', 'p95 ms', 'p99 ms', 'response bytes'],
        [
          [
            `first ${s.streamProbe.first.count}`,
            fmt(s.streamProbe.first.p50),
            fmt(s.streamProbe.first.p95),
            fmt(s.streamProbe.first.p99),
            s.streamProbe.responseBytes[0],
          ],
          [
            `last ${s.streamProbe.last.count}`,
            fmt(s.streamProbe.last.p50),
            fmt(s.streamProbe.last.p95),
            fmt(s.streamProbe.last.p99),
            s.streamProbe.responseBytes[1],
          ],
        ],
      ),
    );
  }
  out.push('');
  out.push('### Outbox relay');
  out.push('');
  const d = s.relay.drain;
  out.push(
    markdownTable(
      ['measure', 'value'],
      [
        [
          'backlog drained (events)',
          `${d.published} of ${d.backlog} (${s.relay.backlogFromLoad} from the HTTP load, ${s.relay.backlogSeeded} appended) in ${d.batches} batches; ${d.duplicatesOnTopic} duplicates on the topic`,
        ],
        [
          'ms from spawn: first event on topic / all on topic / outbox empty',
          `${d.firstOnTopicMs} / ${d.allOnTopicMs ?? `not within ${s.config.relayDrainSeconds} s`} / ${d.outboxEmptyMs ?? '–'}`,
        ],
        [
          `relay publish rate, steady: first to ${d.drained ? 'last' : 'time limit'} on topic (events/s)`,
          fmt(d.steadyEventsPerSecond),
        ],
        ['relay publish rate incl. start-up (events/s)', fmt(d.overallEventsPerSecond)],
        [
          'raw kafkajs produce (msg/s)',
          `${fmt(s.kafkaBaseline.messagesPerSecond)} (${s.kafkaBaseline.messages} msgs in ${fmt(s.kafkaBaseline.seconds, 2)} s, batch p50 ${fmt(s.kafkaBaseline.batchLatency.p50)} ms)`,
        ],
        ['relay ÷ raw produce', fmt(s.relayVsKafka, 3)],
        [
          'relay CPU % while draining (relay/db/kafka)',
          ['relay', 'ferretdb', 'kafka'].map((k) => fmt(d.cpu[k], 0)).join('/'),
        ],
        ['relay peak RSS (sampled) / VmHWM MiB', `${fmt(s.relay.peakRssMiB)} / ${fmt(s.relay.vmHwmMiB)}`],
        [
          `idle database CPU % without relay / with idle relay (${s.relay.idle.seconds} s each)`,
          `${fmt(s.relay.idle.withoutRelay.ferretdb, 0)} / ${fmt(s.relay.idle.withRelay.ferretdb, 0)} (relay itself ${fmt(s.relay.idle.withRelay.relay, 0)})`,
        ],
        ...(lagPhase?.relayLag
          ? [
              [
                `HTTP accepted/s at c=${lagPhase.concurrency} with relay running`,
                fmt(lagPhase.successPerSecond),
              ],
              ['max unpublished under load', String(lagPhase.relayLag.maxUnpublished)],
              ['max oldest-unpublished age under load', `${lagPhase.relayLag.maxOldestAgeMs} ms`],
              ['catch-up after load', `${lagPhase.relayLag.catchUpMs} ms`],
              ['relay CPU % during that load', fmt(lagPhase.cpu.relay, 0)],
            ]
          : []),
      ],
    ),
  );
  out.push('');
  out.push(
    `API: started in ${s.api.startupMs} ms; peak RSS (sampled every 100 ms) ${fmt(s.api.peakRssMiB)} MiB, VmHWM ${fmt(s.api.vmHwmMiB)} MiB.`,
  );
  out.push(
    `Run took ${fmt(s.durationSeconds)} s. Processes left running: ${s.processesLeft.length ? s.processesLeft.join(', ') : 'none'}.`,
  );
  return out.join('\n');
}

runBenchmark(main, cleanUp, log);
