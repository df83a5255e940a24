/**
 * Read-side benchmark of the pledge ledger. Prints figures only (no thresholds, no pass/fail), each next to a
 * baseline measured in the same run on the same servers:
 *
 *   1. projection throughput on a preloaded topic   vs  a raw kafkajs consumer that only counts the messages
 *      (and one that also decodes and hash-checks them, to show where the time goes), and one that writes one
 *      upsert by _id per message to the same database (the database's side: the least a per-event projector
 *      writes);
 *   2. rebuild (`rebuildPledgeSummaries`, switchReaders: false) of that topic, in its own node process: time,
 *      events/s and that process's peak RSS;
 *   3. end-to-end lag (HTTP write answered → read model shows it) while N clients write, API + relay + projector
 *      as their own processes;
 *   4. report and list query latency with BENCH_PLEDGES pledges in the summary read model and its pledge index
 *      (lists with no filter, each filter, two filters, page 20 of a cursor walk; reports from the compiled
 *      snapshots with no filter or one, and computed for the request with two or fresh=true)  vs  a raw
 *      `findOne({_id})` of a summary (the least one query costs) and of a snapshot, and a raw
 *      `find({}).toArray()` of the summaries; plus the time to compile the snapshots.
 *
 *   npm run bench:read        (ts-node -r tsconfig-paths/register --transpile-only test/bench/read-bench.ts)
 *
 * Environment (all optional):
 *   KAFKA_BROKERS, MONGODB_URI      servers to use; else `infra/scripts/infra.sh up` (stopped at the end if started)
 *   BENCH_PARTS=1,2,3,4             which parts to run (1 and 2 share the preloaded topic)
 *   BENCH_EVENTS=100000             events preloaded on the topic (parts 1 and 2); 30000 on FerretDB (SIZE_DEFAULTS)
 *   BENCH_REPORTS_PER_PLEDGE=4      progress reports per preloaded pledge (1 submission + 4 reports; 10% also
 *                                   closed), and the mean (0..2×) for the part-4 pledges
 *   BENCH_TOPIC_ORDER=time          time: events in recordedAt order, each pledge's history spread over the topic
 *                                   (as in a real log); pledge: each pledge's events one after the other (a batch
 *                                   then holds whole histories: the projection's best case)
 *   BENCH_PARTITIONS=6              partitions of the preloaded topic and of the live topic
 *   BENCH_CLIENTS=16                writing clients in part 3 (closed loop)
 *   BENCH_PLEDGES_PER_CLIENT=2      pledges each writing client reports progress on, in turn
 *   BENCH_SECONDS=20                measured seconds of the part-3 write load (after 1 s warm-up)
 *   BENCH_PROBE_INTERVAL_MS=200     one probe write every this many ms in part 3
 *   BENCH_POLL_INTERVAL_MS=10       the probe polls the read model this often
 *   BENCH_PLEDGES=100000            pledges bulk-loaded into the summary read model for part 4; 2000 on FerretDB
 *   BENCH_QUERY_REQUESTS=20         sequential requests per query in part 4 ...
 *   BENCH_QUERY_SECONDS=60          ... or fewer, once a query has used this many seconds (at least 2 requests);
 *                                   30 on FerretDB
 *   BENCH_RAW_READS=3               raw find({}).toArray() repetitions (same time budget)
 *   BENCH_INSERT_BATCH=1000         documents per insertMany when loading part 4
 *   BENCH_PHASE_TIMEOUT_SECONDS=300 a phase (consume, projection, rebuild, catch-up) stops after this long; the
 *                                   projection and the rebuild then report how far they got, marked partial;
 *                                   300 on FerretDB
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readlinkSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { resolve } from 'node:path';
import { Admin, Kafka, KafkaMessage, Message, Partitioners } from 'kafkajs';
import { Db, MongoClient } from 'mongodb';
// Only modules that load no Nest configuration: @ledger/config validates process.env when it is imported, so
// the rest (read models, event store) is imported once the servers are known.
import { REPORT_DIMENSIONS } from '@ledger/domain';
import { hashEvent } from '@ledger/event-store/event-hash';
import { createKafka } from '@ledger/messaging/kafka-client';
import { decodeEvent, encodeEvent } from '@ledger/messaging/pledge-event-codec';
import { ensureTopic } from '@ledger/messaging/topics';
import type { PledgeSummaryDocument } from '@ledger/read-models/pledge-summary.document';
import { stopApp } from '../support/app-process';
import {
  clientAgent,
  closedLoop,
  CpuWindow,
  envInt,
  envList,
  fmt,
  freePort,
  httpJson,
  httpRequest,
  Infra,
  infraServerPid,
  LatencySummary,
  LoadResult,
  machineAtStart,
  mapLimit,
  markdownTable,
  Outcome,
  pidListeningOn,
  processAlive,
  procStatusMiB,
  ROOT,
  RssSampler,
  sleep,
  summarise,
} from './bench-support';
import { PledgeGenerator } from './read-bench-data';
import { App, launchApp as launchBenchApp } from './support/app-launch';
import { cleanUpOnSignals, CleanUps, runBenchmark, saveSummary, serversUp } from './support/lifecycle';
import { compileReportSnapshots, loadPledgeSummaries } from './support/summary-load';

// ---- configuration -----------------------------------------------------------------------------------------

const config = {
  parts: envList('BENCH_PARTS', [1, 2, 3, 4]),
  /** Set in main() once the server is known (see SIZE_DEFAULTS). */
  server: 'mongodb' as 'mongodb' | 'ferretdb',
  events: 0,
  reportsPerPledge: envInt('BENCH_REPORTS_PER_PLEDGE', 4),
  topicOrder: (process.env.BENCH_TOPIC_ORDER === 'pledge' ? 'pledge' : 'time') as 'time' | 'pledge',
  partitions: envInt('BENCH_PARTITIONS', 6),
  clients: envInt('BENCH_CLIENTS', 16),
  pledgesPerClient: Math.max(1, envInt('BENCH_PLEDGES_PER_CLIENT', 2)),
  seconds: envInt('BENCH_SECONDS', 20),
  warmupSeconds: 1,
  probeIntervalMs: envInt('BENCH_PROBE_INTERVAL_MS', 200),
  pollIntervalMs: envInt('BENCH_POLL_INTERVAL_MS', 10),
  pledges: 0,
  queryRequests: Math.max(1, envInt('BENCH_QUERY_REQUESTS', 20)),
  querySeconds: 0,
  rawReads: Math.max(1, envInt('BENCH_RAW_READS', 3)),
  insertBatch: Math.max(1, envInt('BENCH_INSERT_BATCH', 1000)),
  phaseTimeoutSeconds: 0,
};

/**
 * Default sizes by server. On MongoDB 100k events / 100k pledges take minutes. FerretDB v1 (SQLite) uses no
 * secondary index: the ledger's lists and reports read by `_id` only (the pledge index), but the raw baselines
 * here (a whole-collection read, the list as one query) and reports computed with fresh=true read and decode
 * the whole collection, about 0.5-1 ms per summary document on a 2-core machine, and each write costs 1.5-3 ms
 * of its CPU. Its defaults keep a run within about ten minutes; BENCH_EVENTS=100000 BENCH_PLEDGES=100000 take
 * about 30 (BENCH_RAW_READS=1 and BENCH_QUERY_SECONDS=20: about 20).
 * BENCH_EVENTS, BENCH_PLEDGES and BENCH_QUERY_SECONDS override either.
 */
const SIZE_DEFAULTS = {
  mongodb: { events: 100_000, pledges: 100_000, querySeconds: 60, phaseTimeoutSeconds: 300 },
  // 30,000 events: about 6 MiB per partition, more than one 4 MiB fetch, so the projection also updates
  // summaries (with one batch per partition it would only insert each pledge's folded history once: its best
  // case). BENCH_EVENTS=100000 takes about 3 minutes for part 1 and 1.5 for part 2.
  ferretdb: { events: 30_000, pledges: 2_000, querySeconds: 30, phaseTimeoutSeconds: 300 },
};
const runs = (part: number) => config.parts.includes(part);
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
const runId = `rbench_${stamp}_${randomBytes(2).toString('hex')}`;
const topic = `${runId}_preload`;
const liveTopic = `${runId}_live`;
const topics = [topic, `${topic}.dead-letter`, liveTopic, `${liveTopic}.dead-letter`];
const benchDbName = runId; // parts 1 and 2
const appDbName = `${runId}_app`; // parts 3 and 4 (the apps' database)
const appReadDbName = `${appDbName}_read`; // and their read models' (MONGODB_READ_DB's default)
const adminKey = `bench_admin_${randomBytes(24).toString('base64url')}`;
const CONSUMER_CONCURRENCY = 3; // what ProjectionConsumer uses by default
const FETCH_BYTES_PER_PARTITION = 4 * 2 ** 20; // the projector app's (PROJECTOR_FETCH_BYTES_PER_PARTITION)
/** Set in main() with the sizes. */
let phaseTimeoutMs = 0;
const PARTIAL = 'partial: phase time-out';

function log(message: string): void {
  process.stdout.write(`[read-bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

const quietLogger = {
  log: () => undefined,
  warn: (message: string) => log(`projection warning: ${message}`),
  error: (message: string) => log(`projection error: ${message}`),
};

const hr = () => process.hrtime.bigint();
const msSince = (t: bigint) => Number(hr() - t) / 1e6;

// ---- processes and clean-up ---------------------------------------------------------------------------------

const children = new Set<ChildProcess>();
const startedPids: { name: string; pid: number }[] = [];
const consumerGroups: string[] = [];
const cleanups = new CleanUps(log);
let cleaning: Promise<void> | undefined;

/** The apps first (they use what the other steps remove), then the other steps, last added first. */
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const child of children) await stopApp(child).catch(() => undefined);
    children.clear();
    await cleanups.run();
  })();
  return cleaning;
}

function launchApp(app: 'ledger-api' | 'relay' | 'projector', env: Record<string, string>) {
  return launchBenchApp(app, env, (child) => {
    children.add(child);
    if (child.pid) startedPids.push({ name: app, pid: child.pid });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  await stopApp(child);
  children.delete(child);
}

async function until<T>(
  what: string,
  timeoutMs: number,
  intervalMs: number,
  probe: () => Promise<T | undefined>,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`${what}: not reached within ${Math.round(timeoutMs / 1000)} s`);
    await sleep(intervalMs);
  }
}

/** End offsets of a topic's partitions (only those with messages). */
async function endOffsets(admin: Admin, name: string): Promise<{ partition: number; high: number }[]> {
  return (await admin.fetchTopicOffsets(name))
    .filter((p) => Number(p.high) > Number(p.low))
    .map((p) => ({ partition: p.partition, high: Number(p.high) }));
}

// ---- results ------------------------------------------------------------------------------------------------

interface ConsumeResult {
  name: string;
  messages: number;
  /** From consumer.run() returning (group joined, partitions assigned) to the last message counted. */
  seconds: number;
  perSecond: number;
  /** Including connect, subscribe and the group join. */
  secondsWithJoin: number;
  perSecondWithJoin: number;
  joinMs: number;
  cpu: Record<string, number>;
}

interface ProjectionResult extends ConsumeResult {
  generation: string;
  documents: number;
  versionSum: number;
  stats: { applied: number; duplicates: number; gapsFilled: number; parked: number };
  partial?: string;
}

interface RebuildResult {
  generation: string;
  eventsRead: number;
  /** rebuildPledgeSummaries' own figure: consumer start to caught up, group deleted. */
  durationMs: number;
  /** Wall time around the call in the child process. */
  wallMs: number;
  eventsPerSecond: number;
  documents: number;
  rssBeforeMiB: number;
  rssPeakMiB: number;
  vmHwmMiB?: number;
  heapUsedPeakMiB: number;
  childStartupMs: number;
  /** CPU of the rebuild process during the call, in % of one core (measured inside it). */
  processCpuPercent: number;
  cpu: Record<string, number>;
  partial?: string;
}

interface QueryResult {
  name: string;
  path: string;
  requests: number;
  firstMs: number;
  latency: LatencySummary;
  responseBytes: number;
  statuses: Record<string, number>;
  note?: string;
}

interface RawReadResult {
  name: string;
  reads: number;
  documents: number;
  latency: LatencySummary;
  documentsPerSecond: number;
}

// ---- part 1 and 2 helpers -------------------------------------------------------------------------------------

async function preload(kafka: Kafka, admin: Admin) {
  await ensureTopic(admin, { topic, numPartitions: config.partitions, replicationFactor: 1 });
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const generator = new PledgeGenerator({ reportsPerPledge: config.reportsPerPledge, seed: 1 });
  let events = 0;
  let pledges = 0;
  let valueBytes = 0;
  let produceMs = 0;
  let batch: Message[] = [];
  const started = hr();
  const flush = async () => {
    if (!batch.length) return;
    const t = hr();
    // One send at a time: a pledge's events stay in order in its partition whatever the retries.
    await producer.send({ topic, acks: -1, messages: batch });
    produceMs += msSince(t);
    batch = [];
  };
  // In time order (the default) the log reads as a real one does: each pledge's events spread over the whole
  // topic, so a batch rarely holds two events of one pledge. In pledge order each pledge's events follow each
  // other, so one batch usually holds a pledge's whole history (the projection's best case).
  const timeOrdered: { at: string; message: Message }[] = [];
  try {
    while (events < config.events) {
      const pledge = generator.next();
      pledges += 1;
      // The last pledge may be cut short: a prefix of a stream is a valid stream.
      for (const event of pledge.events.slice(0, config.events - events)) {
        const message = encodeEvent(event);
        valueBytes += Buffer.byteLength(message.value as string);
        if (config.topicOrder === 'time') timeOrdered.push({ at: event.recordedAt, message });
        else batch.push(message);
        events += 1;
      }
      if (batch.length >= 2000) await flush();
    }
    // Versions of one pledge have strictly increasing recordedAt, so sorting keeps each stream in order.
    timeOrdered.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    for (const { message } of timeOrdered) {
      batch.push(message);
      if (batch.length >= 2000) await flush();
    }
    await flush();
  } finally {
    await producer.disconnect();
  }
  const totalMs = msSince(started);
  const ends = await endOffsets(admin, topic);
  const onTopic = ends.reduce((n, p) => n + p.high, 0);
  if (onTopic !== events) throw new Error(`preload: ${events} events sent, ${onTopic} on the topic`);
  return {
    events,
    pledges,
    partitions: config.partitions,
    order: config.topicOrder,
    meanValueBytes: valueBytes / events,
    seconds: totalMs / 1000,
    produceSeconds: produceMs / 1000,
    buildSeconds: (totalMs - produceMs) / 1000,
    producePerSecond: events / (produceMs / 1000),
    perPartition: ends.map((p) => p.high),
  };
}

async function rawConsume(
  kafka: Kafka,
  name: string,
  total: number,
  cpuPids: Record<string, number | undefined>,
  work?: (message: KafkaMessage) => void | Promise<void>,
): Promise<ConsumeResult> {
  const groupId = `${runId}-${name.replace(/[^a-z0-9]+/gi, '-')}`;
  consumerGroups.push(groupId);
  // The same consumer settings as ProjectionConsumer, so only the work per message differs.
  const consumer = kafka.consumer({
    groupId,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 200,
    sessionTimeout: 10000,
    heartbeatInterval: 1000,
    maxBytesPerPartition: FETCH_BYTES_PER_PARTITION,
    maxBytes: 4 * FETCH_BYTES_PER_PARTITION,
  });
  let count = 0;
  let lastAt: bigint | undefined;
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const cpu = new CpuWindow(cpuPids);
  const started = hr();
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      partitionsConsumedConcurrently: CONSUMER_CONCURRENCY,
      eachBatch: async ({ batch, heartbeat }) => {
        // Heartbeats (sent at most every heartbeatInterval) keep a slow batch from costing the group its member.
        if (work)
          for (const message of batch.messages) {
            await work(message);
            await heartbeat();
          }
        count += batch.messages.length;
        if (count >= total && !lastAt) {
          lastAt = hr();
          done();
        }
      },
    });
    const joined = hr();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      finished,
      new Promise((_, reject) => {
        timer = setTimeout(
          () =>
            reject(new Error(`${name}: ${count} of ${total} messages after ${config.phaseTimeoutSeconds} s`)),
          phaseTimeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    const cpuUse = cpu.end();
    const seconds = Number(lastAt! - joined) / 1e9;
    const secondsWithJoin = Number(lastAt! - started) / 1e9;
    return {
      name,
      messages: count,
      seconds,
      perSecond: count / seconds,
      secondsWithJoin,
      perSecondWithJoin: count / secondsWithJoin,
      joinMs: Number(joined - started) / 1e6,
      cpu: cpuUse,
    };
  } finally {
    await consumer.disconnect();
  }
}

// ---- the rebuild, in its own process -----------------------------------------------------------------------------

const REBUILD_MARK = 'READ_BENCH_REBUILD ';

/** Child mode: one rebuild of the preloaded topic, measured from inside its own node process. */
async function rebuildChild(): Promise<void> {
  const env = process.env;
  const { rebuildPledgeSummaries, ProjectionCheckpoints } = await import('@ledger/read-models');
  const { MongoEventStore, PLEDGE_UPCASTERS } = await import('@ledger/event-store');
  const kafka = createKafka({
    brokers: env.KAFKA_BROKERS!,
    clientId: `${env.BENCH_RUN_ID}-rebuild`,
    logLevel: 'error',
  });
  const client = await new MongoClient(env.MONGODB_URI!, {
    serverSelectionTimeoutMS: 5000,
    maxPoolSize: 50,
  }).connect();
  try {
    const db = client.db(env.BENCH_DB!);
    const store = new MongoEventStore(db, PLEDGE_UPCASTERS);
    const mib = (bytes: number) => bytes / 2 ** 20;
    const rssBeforeMiB = mib(process.memoryUsage().rss);
    let rssPeakMiB = rssBeforeMiB;
    let heapUsedPeakMiB = mib(process.memoryUsage().heapUsed);
    const sampler = setInterval(() => {
      const usage = process.memoryUsage();
      rssPeakMiB = Math.max(rssPeakMiB, mib(usage.rss));
      heapUsedPeakMiB = Math.max(heapUsedPeakMiB, mib(usage.heapUsed));
    }, 50);
    const started = hr();
    const cpuStarted = process.cpuUsage();
    let partial: string | undefined;
    const result = await rebuildPledgeSummaries(
      kafka,
      db,
      store,
      {
        topic: env.BENCH_TOPIC!,
        deadLetterTopic: `${env.BENCH_TOPIC}.dead-letter`,
        maxAttempts: 5,
        upcasters: PLEDGE_UPCASTERS,
        switchReaders: false,
        timeoutMs: Number(env.BENCH_TIMEOUT_MS),
      },
      quietLogger,
    ).catch(async (error: Error) => {
      if (!/did not catch up/.test(error.message)) throw error;
      // Timed out: report how far it got, from the generation's checkpoints.
      const generations: string[] = await db.collection('projection_checkpoints').distinct('generation');
      const generation = generations.find((g) => g.startsWith('pledge_summaries_g')) ?? 'unknown';
      const watermark = await new ProjectionCheckpoints(db).watermark(generation);
      const eventsRead = watermark.eventsApplied + watermark.duplicatesIgnored + watermark.gapsFilled;
      partial = `${PARTIAL} after ${Math.round(Number(env.BENCH_TIMEOUT_MS) / 1000)} s, ${eventsRead} events`;
      return { generation, eventsRead, durationMs: Math.round(msSince(started)), switched: false };
    });
    const wallMs = msSince(started);
    const cpuUsed = process.cpuUsage(cpuStarted);
    clearInterval(sampler);
    const usage = process.memoryUsage();
    rssPeakMiB = Math.max(rssPeakMiB, mib(usage.rss));
    const documents = await db.collection(result.generation).countDocuments({});
    process.stdout.write(
      `${REBUILD_MARK}${JSON.stringify({
        ...result,
        wallMs,
        partial,
        processCpuPercent: ((cpuUsed.user + cpuUsed.system) / 1000 / wallMs) * 100,
        documents,
        rssBeforeMiB,
        rssPeakMiB,
        heapUsedPeakMiB,
        vmHwmMiB: procStatusMiB(process.pid, 'VmHWM'),
      })}\n`,
    );
  } finally {
    await client.close();
  }
}

async function rebuildInChild(
  infra: Infra,
  rss: RssSampler,
  cpuPids: Record<string, number | undefined>,
): Promise<RebuildResult> {
  const spawned = Date.now();
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', __filename, '--rebuild-child'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        TS_NODE_PROJECT: resolve(ROOT, 'tsconfig.json'),
        KAFKA_BROKERS: infra.kafkaBrokers,
        MONGODB_URI: infra.mongoUri,
        BENCH_RUN_ID: runId,
        BENCH_DB: benchDbName,
        BENCH_TOPIC: topic,
        BENCH_TIMEOUT_MS: String(phaseTimeoutMs),
        LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.add(child);
  startedPids.push({ name: 'rebuild', pid: child.pid! });
  rss.track('rebuild', child.pid!);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-50_000)));
  child.stderr!.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-50_000)));
  // The child's start-up (ts-node) is outside the figures: CPU is measured from its first sampled second on.
  const cpu = new CpuWindow(cpuPids);
  const timer = setTimeout(() => child.kill('SIGKILL'), phaseTimeoutMs + 120_000);
  const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  clearTimeout(timer);
  const cpuUse = cpu.end();
  children.delete(child);
  rss.untrack('rebuild');
  const line = output.split('\n').find((l) => l.startsWith(REBUILD_MARK));
  if (code !== 0 || !line) throw new Error(`rebuild child exited with ${code}:\n${output.slice(-5000)}`);
  const r = JSON.parse(line.slice(REBUILD_MARK.length)) as Omit<
    RebuildResult,
    'eventsPerSecond' | 'childStartupMs' | 'cpu'
  >;
  return {
    ...r,
    eventsPerSecond: r.eventsRead / (r.wallMs / 1000),
    childStartupMs: Date.now() - spawned - r.wallMs,
    cpu: cpuUse,
  };
}

// ---- part 3 helpers ---------------------------------------------------------------------------------------------

const narrative = 'Progress in the counties: '.padEnd(240, ' women online and trained.');
const progressBody = (seq: number) =>
  JSON.stringify({
    targetId: 'women-online',
    value: 30 + (seq % 20),
    asOf: '2026-01-31',
    narrative,
    evidence: [],
  });

// ---- main -------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  cleanUpOnSignals(cleanUp, log);
  const startedAt = Date.now();
  log(`run ${runId}: parts ${config.parts.join(',')}`);

  const infra = serversUp(cleanups, log);
  log(
    `servers (${infra.source}): KAFKA_BROKERS=${infra.kafkaBrokers} MONGODB_URI=${infra.mongoUri}` +
      ` (started by this run: kafka=${infra.started.kafka}, mongo=${infra.started.mongo})`,
  );
  const mongoPort = Number(new URL(infra.mongoUri).port || 27017);
  const kafkaPort = Number(infra.kafkaBrokers.split(',')[0].split(':')[1]);
  const mongoPid = infraServerPid('mongo', mongoPort) ?? pidListeningOn(mongoPort);
  const kafkaPid = infraServerPid('kafka', kafkaPort) ?? pidListeningOn(kafkaPort);
  log(`server processes (for CPU figures): database pid ${mongoPid ?? '?'}, Kafka pid ${kafkaPid ?? '?'}`);
  let staleServerBinary = false;
  try {
    staleServerBinary =
      mongoPid !== undefined && readlinkSync(`/proc/${mongoPid}/exe`).endsWith(' (deleted)');
  } catch {
    // another user's process: unknown
  }
  if (staleServerBinary) {
    log(
      `NOTE: the database server (pid ${mongoPid}) runs a binary that has been rebuilt since it started;` +
        ` its figures are those of the old build (restart it with infra.sh down/up to measure the current one)`,
    );
  }
  const serverPids = { db: mongoPid, kafka: kafkaPid };

  process.env.MONGODB_URI = infra.mongoUri;
  process.env.KAFKA_BROKERS = infra.kafkaBrokers;
  const { PLEDGE_SUMMARIES, ProjectionCheckpoints, ProjectionConsumer, ReadModelCatalog } =
    await import('@ledger/read-models');
  const { MongoEventStore, PLEDGE_UPCASTERS } = await import('@ledger/event-store');
  const { samplePledge } = await import('../support/ledger-api.harness');

  // The same client options as the apps (libs/database createMongoClient).
  const mongo = await new MongoClient(infra.mongoUri, {
    serverSelectionTimeoutMS: 5000,
    maxPoolSize: 50,
    appName: runId,
  }).connect();
  cleanups.push({ name: 'mongo client', run: () => mongo.close() });
  const benchDb: Db = mongo.db(benchDbName);
  const appDb: Db = mongo.db(appDbName);
  const appReadDb: Db = mongo.db(appReadDbName);
  cleanups.push({
    name: 'drop databases',
    run: () => Promise.all([benchDb, appDb, appReadDb].map((db) => db.dropDatabase())),
  });
  const buildInfo = await mongo.db('admin').command({ buildInfo: 1 });
  config.server = 'ferretdbVersion' in buildInfo ? 'ferretdb' : 'mongodb';
  const sizes = SIZE_DEFAULTS[config.server];
  config.events = envInt('BENCH_EVENTS', sizes.events);
  config.pledges = envInt('BENCH_PLEDGES', sizes.pledges);
  config.querySeconds = envInt('BENCH_QUERY_SECONDS', sizes.querySeconds);
  config.phaseTimeoutSeconds = envInt('BENCH_PHASE_TIMEOUT_SECONDS', sizes.phaseTimeoutSeconds);
  phaseTimeoutMs = config.phaseTimeoutSeconds * 1000;
  log(`database server: ${config.server} ${buildInfo.version}; configuration ${JSON.stringify(config)}`);
  if (config.server === 'ferretdb' && (!process.env.BENCH_EVENTS || !process.env.BENCH_PLEDGES)) {
    log(
      `FerretDB v1 scans the whole collection for the raw baselines and fresh=true reports, so the default sizes here are` +
        ` ${sizes.events} events and ${sizes.pledges} pledges (MongoDB: 100,000 each); set BENCH_EVENTS/BENCH_PLEDGES to change them`,
    );
  }

  const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: runId, logLevel: 'error' });
  const admin = kafka.admin();
  await admin.connect();
  cleanups.push({ name: 'kafka admin', run: () => admin.disconnect() });
  cleanups.push({
    name: 'delete topics and consumer groups',
    run: async () => {
      if (consumerGroups.length) await admin.deleteGroups(consumerGroups).catch(() => undefined);
      const existing = new Set(await admin.listTopics());
      const mine = topics.filter((t) => existing.has(t));
      if (mine.length) await admin.deleteTopics({ topics: mine, timeout: 30_000 });
      log(`deleted topics ${mine.join(', ') || '(none)'} and ${consumerGroups.length} consumer groups`);
    },
  });

  const rss = new RssSampler(100);
  rss.start();
  cleanups.push({ name: 'rss sampler', run: () => rss.stop() });
  rss.track('bench', process.pid);

  const summary: Record<string, unknown> = {
    runId,
    startedAt: new Date(startedAt).toISOString(),
    config,
    machine: {
      ...machineAtStart(),
      appsFrom: Object.fromEntries(
        (['ledger-api', 'relay', 'projector'] as const).map((app) => [
          app,
          existsSync(resolve(ROOT, 'dist/apps', app, 'main.js')) &&
          process.env.LEDGER_TEST_FROM_SOURCE !== 'true'
            ? 'dist'
            : 'source (ts-node transpile-only)',
        ]),
      ),
    },
    infra: {
      source: infra.source,
      kafkaBrokers: infra.kafkaBrokers,
      mongoUri: infra.mongoUri,
      databaseServerBinaryRebuiltSinceStart: staleServerBinary,
    },
  };

  // ---- 1. projection vs raw consume on a preloaded topic -------------------------------------------------------
  if (runs(1) || runs(2)) {
    log(`preloading ${config.events} events on ${topic} (${config.partitions} partitions)`);
    const loaded = await preload(kafka, admin);
    summary.preload = loaded;
    log(
      `preloaded ${loaded.events} events of ${loaded.pledges} pledges in ${fmt(loaded.seconds, 2)} s` +
        ` (build ${fmt(loaded.buildSeconds, 2)} s, produce ${fmt(loaded.producePerSecond)} msg/s);` +
        ` mean value ${fmt(loaded.meanValueBytes, 0)} B; per partition ${loaded.perPartition.join('/')}`,
    );

    if (runs(1)) {
      const raw = await rawConsume(kafka, 'raw consume (count only)', loaded.events, serverPids);
      log(
        `raw kafkajs consume: ${raw.messages} msgs in ${fmt(raw.seconds, 2)} s after join = ${fmt(raw.perSecond)} msg/s` +
          ` (join ${fmt(raw.joinMs, 0)} ms)`,
      );
      let hashMismatches = 0;
      const decoded = await rawConsume(
        kafka,
        'raw consume + decode + hash check',
        loaded.events,
        serverPids,
        (m) => {
          const event = decodeEvent(m);
          if (hashEvent(event) !== event.hash) hashMismatches += 1;
        },
      );
      if (hashMismatches) throw new Error(`${hashMismatches} preloaded events fail their hash check`);
      log(`raw consume + decode + hash check: ${fmt(decoded.perSecond)} msg/s`);

      // The database's side of the baseline: the least a per-event projector writes, one upsert by _id per
      // message (no fold, no checkpoint), on the same server, partitions in parallel as the projection's.
      const upsertCollection = benchDb.collection<{ _id: string }>(`bench_raw_upserts_${stamp}`);
      const upserts = await rawConsume(
        kafka,
        'raw consume + one upsert by _id per message',
        loaded.events,
        serverPids,
        async (m) => {
          await upsertCollection.updateOne(
            { _id: m.key!.toString() },
            { $set: { offset: m.offset, bytes: m.value?.length ?? 0 } },
            { upsert: true },
          );
        },
      );
      await upsertCollection.drop().catch(() => undefined);
      log(`raw consume + one upsert per message: ${fmt(upserts.perSecond)} msg/s`);

      const generation = `bench_projection_${stamp}`;
      const groupId = `${runId}-projection`;
      consumerGroups.push(groupId);
      const store = new MongoEventStore(benchDb, PLEDGE_UPCASTERS);
      const checkpoints = new ProjectionCheckpoints(benchDb);
      const projection = new ProjectionConsumer(
        kafka,
        benchDb,
        store,
        {
          topic,
          deadLetterTopic: `${topic}.dead-letter`,
          groupId,
          maxAttempts: 5,
          generation,
          upcasters: PLEDGE_UPCASTERS,
          maxBytesPerPartition: FETCH_BYTES_PER_PARTITION,
        },
        quietLogger,
      );
      const ends = await endOffsets(admin, topic);
      const cpu = new CpuWindow(serverPids);
      const started = hr();
      let joined: bigint;
      let reachedAt: bigint;
      // Events reflected by the checkpoints (all of them, unless the phase timed out).
      let reflected = 0;
      let partial: string | undefined;
      try {
        await projection.start();
        joined = hr();
        log(`projection consumer joined in ${fmt(msSince(started), 0)} ms; waiting for its checkpoints`);
        const deadline = Date.now() + phaseTimeoutMs;
        let lastReport = Date.now();
        for (;;) {
          const watermark = await checkpoints.watermark(generation);
          reflected = watermark.partitions.reduce((n, p) => n + p.offset, 0);
          const done = ends.every(
            (end) =>
              (watermark.partitions.find((p) => p.partition === end.partition)?.offset ?? 0) >= end.high,
          );
          reachedAt = hr();
          if (done) break;
          if (Date.now() > deadline) {
            partial = `${PARTIAL} after ${config.phaseTimeoutSeconds} s, ${reflected} of ${loaded.events} events`;
            log(`projection: ${partial}`);
            break;
          }
          if (Date.now() - lastReport > 15_000) {
            lastReport = Date.now();
            log(`  projection: ${reflected} of ${loaded.events} events reflected in the checkpoints`);
          }
          await sleep(100);
        }
      } finally {
        await projection.stop();
      }
      const cpuUse = cpu.end();
      const collection = benchDb.collection<PledgeSummaryDocument>(generation);
      let versionSum = 0;
      let documents = 0;
      for await (const doc of collection.find({}, { projection: { version: 1 } })) {
        versionSum += doc.version;
        documents += 1;
      }
      const seconds = Number(reachedAt - joined) / 1e9;
      const secondsWithJoin = Number(reachedAt - started) / 1e9;
      const projected: ProjectionResult = {
        name: 'ProjectionConsumer (to checkpoints at end offsets)',
        messages: reflected,
        seconds,
        perSecond: reflected / seconds,
        secondsWithJoin,
        perSecondWithJoin: reflected / secondsWithJoin,
        joinMs: Number(joined - started) / 1e6,
        cpu: cpuUse,
        generation,
        documents,
        versionSum,
        stats: { ...projection.stats },
        partial,
      };
      log(
        `projection: ${reflected} events in ${fmt(seconds, 2)} s = ${fmt(projected.perSecond)} events/s;` +
          ` ${documents} documents (expected ${loaded.pledges}), versions sum ${versionSum} (expected ${loaded.events})`,
      );
      summary.part1 = {
        raw,
        decoded,
        upserts,
        projection: projected,
        ratio: projected.perSecond / raw.perSecond,
        ratioToDecoded: projected.perSecond / decoded.perSecond,
        ratioToUpserts: projected.perSecond / upserts.perSecond,
        correct: !partial && documents === loaded.pledges && versionSum === loaded.events,
      };
      // Not needed any more; keeps the database file small for the rebuild.
      await collection.drop().catch(() => undefined);
      await checkpoints.drop(generation);
    }

    // ---- 2. rebuild --------------------------------------------------------------------------------------------
    if (runs(2)) {
      log(`rebuilding from ${topic} in a child process (switchReaders: false)`);
      const rebuild = await rebuildInChild(infra, rss, serverPids);
      log(
        `rebuild: ${rebuild.eventsRead} events in ${fmt(rebuild.wallMs / 1000, 2)} s = ${fmt(rebuild.eventsPerSecond)} events/s;` +
          ` ${rebuild.documents} documents; child RSS ${fmt(rebuild.rssBeforeMiB)} → peak ${fmt(rebuild.rssPeakMiB)} MiB`,
      );
      summary.part2 = {
        ...rebuild,
        correct:
          !rebuild.partial && rebuild.documents === loaded.pledges && rebuild.eventsRead === loaded.events,
      };
      await benchDb
        .collection(rebuild.generation)
        .drop()
        .catch(() => undefined);
    }
  }

  // ---- 3. end-to-end lag under write load ------------------------------------------------------------------------
  let api: { child: App; url: URL; startupMs: number } | undefined;
  const appEnv = {
    NODE_ENV: 'production',
    MONGODB_URI: infra.mongoUri,
    MONGODB_DB: appDbName,
    KAFKA_BROKERS: infra.kafkaBrokers,
    PLEDGE_EVENTS_TOPIC: liveTopic,
    DEAD_LETTER_TOPIC: `${liveTopic}.dead-letter`,
    PLEDGE_EVENTS_PARTITIONS: String(config.partitions),
    PROJECTOR_GROUP_ID: `${runId}-projector`,
    ADMIN_API_KEY: adminKey,
    HTTP_HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    RELAY_IN_PROCESS: 'false',
  };
  if (runs(3) || runs(4)) {
    api = await launchApp('ledger-api', { ...appEnv, HTTP_PORT: String(await freePort()) });
    rss.track('api', api.child.pid!);
    log(`ledger API up at ${api.url.origin} in ${api.startupMs} ms (pid ${api.child.pid})`);
    summary.apiStartupMs = api.startupMs;
  }

  if (runs(3) && api) {
    consumerGroups.push(appEnv.PROJECTOR_GROUP_ID);
    const relay = await launchApp('relay', { ...appEnv, HTTP_PORT: String(await freePort()) });
    const projector = await launchApp('projector', { ...appEnv, HTTP_PORT: String(await freePort()) });
    rss.track('relay', relay.child.pid!);
    rss.track('projector', projector.child.pid!);
    log(`relay up in ${relay.startupMs} ms, projector up in ${projector.startupMs} ms`);

    const url = api.url;
    const orgs = await mapLimit(
      Array.from({ length: config.clients + 1 }, (_, i) => i),
      4,
      async (i) => {
        const result = await httpJson<{ id: string; apiKey: string }>(url, 'POST', '/actors/organisations', {
          key: adminKey,
          body: { name: `Read bench organisation ${i + 1} ${runId}`, type: 'civil-society', country: 'KE' },
        });
        if (result.status !== 201) throw new Error(`registering organisation ${i}: ${result.status}`);
        return result.body;
      },
    );
    const probeOrg = orgs[config.clients];
    const submit = async (org: { apiKey: string }) => {
      const result = await httpJson<{ pledgeId: string; version: number }>(url, 'POST', '/pledges', {
        key: org.apiKey,
        body: samplePledge({ title: 'Connect one million women in rural areas', countries: ['KE'] }),
      });
      if (result.status !== 201)
        throw new Error(`submitting a pledge: ${result.status} ${JSON.stringify(result.body)}`);
      return { id: result.body.pledgeId, key: org.apiKey };
    };
    const perClient = await mapLimit(
      Array.from({ length: config.clients }, (_, i) => i),
      4,
      async (i) => {
        const mine: { id: string; key: string }[] = [];
        for (let j = 0; j < config.pledgesPerClient; j++) mine.push(await submit(orgs[i]));
        return mine;
      },
    );
    const probePledge = await submit(probeOrg);
    // The read model's view of one pledge: one lookup by _id, so polling it barely loads the database.
    const summaryPath = `/pledges/${probePledge.id}/summary`;
    const visibleVersion = async (agent?: http.Agent): Promise<number | undefined> => {
      const answer = await httpRequest(url, 'GET', summaryPath, { agent, timeoutMs: 30_000 });
      if (answer.status !== 200) return undefined;
      return (JSON.parse(answer.body) as { version: number }).version;
    };
    const setupVisible = Date.now();
    await until('the probe pledge in the read model', 120_000, 50, visibleVersion);
    log(
      `registered ${orgs.length} organisations, ${config.clients * config.pledgesPerClient + 1} pledges;` +
        ` the probe pledge became visible ${Date.now() - setupVisible} ms after its submission was answered`,
    );

    const writeAgents = Array.from({ length: config.clients }, () => clientAgent());
    const probeWriteAgent = clientAgent();
    const probePollAgent = clientAgent();
    const lags: number[] = [];
    /** Per probe write seen in the read model: ms from its 2xx answer to its event being on the topic. */
    const topicLags: number[] = [];
    const probeWrites: number[] = [];
    const pollLatencies: number[] = [];
    let probeFailures = 0;
    let probeTimeouts = 0;
    let loadDone = false;
    let writerDone = false;
    /** Probe writes answered but not yet seen in the read model. */
    const outstanding: { version: number; acked: bigint }[] = [];
    // One writer: a write every probeIntervalMs (or right after the previous one, if it took longer).
    const probeWriter = async () => {
      await sleep(config.warmupSeconds * 1000);
      for (let seq = 0; !loadDone; seq++) {
        const tick = Date.now();
        const writeStarted = hr();
        const written = await httpRequest(url, 'POST', `/pledges/${probePledge.id}/progress`, {
          agent: probeWriteAgent,
          headers: { authorization: `Bearer ${probePledge.key}` },
          body: progressBody(seq),
        }).catch(() => undefined);
        const acked = hr();
        if (written?.status === 201) {
          probeWrites.push(Number(acked - writeStarted) / 1e6);
          outstanding.push({ version: (JSON.parse(written.body) as { version: number }).version, acked });
        } else {
          probeFailures += 1;
        }
        const wait = config.probeIntervalMs - (Date.now() - tick);
        if (wait > 0) await sleep(wait);
      }
      writerDone = true;
    };
    // One poller: while a probe write is outstanding, reads the list every pollIntervalMs; the answer that first
    // shows a version (or a later one) ends the lag of every write up to it.
    const probePoller = async () => {
      while (!writerDone || outstanding.length > 0) {
        if (outstanding.length === 0) {
          await sleep(config.pollIntervalMs);
          continue;
        }
        const pollStarted = hr();
        const seen = await visibleVersion(probePollAgent).catch(() => undefined);
        const answered = hr();
        pollLatencies.push(Number(answered - pollStarted) / 1e6);
        while (outstanding.length > 0) {
          const next = outstanding[0];
          const waited = Number(answered - next.acked) / 1e6;
          if (seen !== undefined && seen >= next.version) {
            lags.push(waited);
            const published = onTopic.get(next.version);
            if (published !== undefined) topicLags.push(Number(published - next.acked) / 1e6);
          } else if (waited > 120_000) probeTimeouts += 1;
          else break;
          outstanding.shift();
        }
        await sleep(config.pollIntervalMs);
      }
    };
    // A tap on the live topic (its own consumer group) notes when each probe event is on Kafka, to split the lag
    // into the relay's part (write answered → on the topic) and the projector's (on the topic → visible).
    const onTopic = new Map<number, bigint>();
    const tapGroup = `${runId}-lag-tap`;
    consumerGroups.push(tapGroup);
    const tap = kafka.consumer({ groupId: tapGroup, allowAutoTopicCreation: false, maxWaitTimeInMs: 50 });
    await tap.connect();
    await tap.subscribe({ topic: liveTopic, fromBeginning: true });
    await tap.run({
      eachMessage: async ({ message }) => {
        if (message.key?.toString() !== probePledge.id) return;
        const version = Number(message.headers?.['stream-version']?.toString());
        if (!onTopic.has(version)) onTopic.set(version, hr());
      },
    });
    const events = appDb.collection('events');
    const eventsBefore = await events.estimatedDocumentCount();
    const cpu = new CpuWindow({
      ...serverPids,
      api: api.child.pid,
      relay: relay.child.pid,
      projector: projector.child.pid,
    });
    rss.resetWindow();
    const probing = Promise.all([probeWriter(), probePoller()]);
    let load: LoadResult;
    let loadEnded = Date.now();
    try {
      load = await closedLoop({
        concurrency: config.clients,
        warmupMs: config.warmupSeconds * 1000,
        measureMs: config.seconds * 1000,
        op: async (client, seq): Promise<Outcome> => {
          const mine = perClient[client];
          const pledge = mine[seq % mine.length];
          const answer = await httpRequest(url, 'POST', `/pledges/${pledge.id}/progress`, {
            agent: writeAgents[client],
            headers: { authorization: `Bearer ${pledge.key}` },
            body: progressBody(seq),
          });
          const success = answer.status >= 200 && answer.status < 300;
          return { outcome: String(answer.status), success, detail: answer.body };
        },
      });
      loadEnded = Date.now();
    } finally {
      loadDone = true;
      await probing;
    }
    const cpuUse = cpu.end();
    const rssPeaks = rss.resetWindow();
    await tap.disconnect();
    [...writeAgents, probeWriteAgent, probePollAgent].forEach((a) => a.destroy());

    // Catch-up: every event recorded so far is reflected in the active read model's checkpoints.
    const eventsAfter = await events.countDocuments({});
    const checkpoints = new ProjectionCheckpoints(appReadDb);
    const active = await new ReadModelCatalog(appReadDb).activeCollectionName(PLEDGE_SUMMARIES);
    await until('projector catch-up after the load', phaseTimeoutMs, 100, async () => {
      const watermark = await checkpoints.watermark(active);
      const reflected = watermark.partitions.reduce((n, p) => n + p.offset, 0);
      return reflected >= eventsAfter ? true : undefined;
    });
    const catchUpMs = Date.now() - loadEnded;
    const lag = summarise(lags);
    log(
      `write load: ${fmt(load.successPerSecond)} accepted/s with ${config.clients} clients` +
        ` (p50 ${fmt(load.latency.p50)} p99 ${fmt(load.latency.p99)} ms); probe lag over ${lag.count} probes:` +
        ` p50 ${fmt(lag.p50)} p95 ${fmt(lag.p95)} p99 ${fmt(lag.p99)} max ${fmt(lag.max)} ms;` +
        ` caught up ${catchUpMs} ms after the load`,
    );
    summary.part3 = {
      clients: config.clients,
      pledgesPerClient: config.pledgesPerClient,
      seconds: load.seconds,
      writes: {
        acceptedPerSecond: load.successPerSecond,
        latency: load.latency,
        outcomes: load.outcomes,
        failureSamples: load.failureSamples,
      },
      eventsInStore: { before: eventsBefore, after: eventsAfter },
      probe: {
        intervalMs: config.probeIntervalMs,
        pollIntervalMs: config.pollIntervalMs,
        lag,
        // Probes in write order: a lag that grows from the first third to the last means a growing backlog.
        lagFirstThird: summarise(lags.slice(0, Math.floor(lags.length / 3))),
        lagLastThird: summarise(lags.slice(lags.length - Math.floor(lags.length / 3))),
        toTopic: summarise(topicLags),
        writeLatency: summarise(probeWrites),
        pollLatency: summarise(pollLatencies),
        failures: probeFailures,
        timeouts: probeTimeouts,
      },
      catchUpMsAfterLoad: catchUpMs,
      cpu: cpuUse,
      rssPeakMiB: rssPeaks,
      relayStartupMs: relay.startupMs,
      projectorStartupMs: projector.startupMs,
    };
    rss.untrack('relay');
    rss.untrack('projector');
    await stopChild(projector.child);
    await stopChild(relay.child);
  }

  // ---- 4. report and list queries on BENCH_PLEDGES pledges ----------------------------------------------------------
  if (runs(4) && api) {
    const url = api.url;
    const {
      name,
      collection,
      generator,
      load: loadInfo,
    } = await loadPledgeSummaries(appReadDb, {
      pledges: config.pledges,
      reportsPerPledge: config.reportsPerPledge,
      partitions: config.partitions,
      insertBatch: config.insertBatch,
      timeoutMs: phaseTimeoutMs,
      stamp,
      log,
    });
    const { snapshots, compile: compileInfo } = await compileReportSnapshots(appReadDb, name, log);
    const expectTotals = (source: 'snapshot' | 'query') => (body: string) => {
      const answer = JSON.parse(body) as { totals?: { pledges?: number }; source?: string };
      if (answer.source !== source) return `source ${answer.source}, expected ${source}`;
      return answer.totals?.pledges === config.pledges
        ? undefined
        : `totals.pledges ${answer.totals?.pledges}, expected ${config.pledges}`;
    };

    // Page 20 of a cursor walk: the cursor of page 19, walked once before the measurements.
    const cursors: string[] = [];
    for (let page = 1; page < 20; page++) {
      const answer = await httpJson<{ nextCursor: string | null }>(
        url,
        'GET',
        `/pledges?limit=50${cursors.length ? `&cursor=${cursors[cursors.length - 1]}` : ''}`,
        { timeoutMs: 120_000 },
      );
      if (!answer.body?.nextCursor) break;
      cursors.push(answer.body.nextCursor);
    }
    const actor = generator.organisationIds()[0];
    const single = [
      'country=KE',
      `actor=${actor}`,
      'actorType=government',
      'region=eastern-africa',
      'framework=gender-caucus',
      'action=wsis10-gender-gap/access',
      'status=active',
      'status=lapsed',
      'status=withdrawn',
    ];
    const pairs = ['country=KE&status=active', 'actorType=government&framework=gender-caucus'];
    const queries: { name: string; path: string; check?: (body: string) => string | undefined }[] = [
      { name: 'report by country (snapshot)', path: '/reports/country', check: expectTotals('snapshot') },
      { name: 'report by actor, CSV (snapshot)', path: '/reports/actor?format=csv' },
      {
        name: 'report by country, computed for the request',
        path: '/reports/country?fresh=true',
        check: expectTotals('query'),
      },
      ...REPORT_DIMENSIONS.map((d) => ({
        name: `report by ${d}, country=KE`,
        path: `/reports/${d}?country=KE`,
      })),
      { name: 'report by action, status=lapsed', path: '/reports/action?status=lapsed' },
      { name: `report by action, actor=${actor}`, path: `/reports/action?actor=${actor}` },
      ...pairs.map((q) => ({ name: `report by country, ${q}`, path: `/reports/country?${q}` })),
      { name: 'list, no filter', path: '/pledges?limit=50' },
      ...(cursors.length >= 19
        ? [{ name: 'list, page 20 of a cursor walk', path: `/pledges?limit=50&cursor=${cursors[18]}` }]
        : []),
      ...single.map((q) => ({ name: `list, ${q}`, path: `/pledges?limit=50&${q}` })),
      ...pairs.map((q) => ({ name: `list, ${q}`, path: `/pledges?limit=50&${q}` })),
    ];
    // Every query and raw read runs once per round, in turn, so that all of them see the same background load;
    // each stops after its count, or once it has spent BENCH_QUERY_SECONDS (after at least two runs).
    const agent = clientAgent();
    const requestTimeoutMs = Math.max(120_000, config.querySeconds * 2000);
    interface Item {
      name: string;
      path?: string;
      max: number;
      run: () => Promise<{ status?: number; bytes?: number; documents?: number; note?: string }>;
      latencies: number[];
      spentMs: number;
      statuses: Record<string, number>;
      bytes: number;
      documents: number;
      note?: string;
    }
    const item = (name: string, max: number, run: Item['run'], path?: string): Item => ({
      name,
      path,
      max,
      run,
      latencies: [],
      spentMs: 0,
      statuses: {},
      bytes: 0,
      documents: 0,
    });
    const httpItems = queries.map((query) =>
      item(
        query.name,
        config.queryRequests,
        async () => {
          const answer = await httpRequest(url, 'GET', query.path, { agent, timeoutMs: requestTimeoutMs });
          const note =
            answer.status === 200
              ? query.check?.(answer.body)
              : `HTTP ${answer.status}: ${answer.body.slice(0, 200)}`;
          return { status: answer.status, bytes: Buffer.byteLength(answer.body), note };
        },
        query.path.replace(/cursor=[^&]+/, 'cursor=…'),
      ),
    );
    const someIds = (
      await collection
        .find({}, { projection: { _id: 1 } })
        .limit(50)
        .toArray()
    ).map((d) => d._id);
    let nextId = 0;
    const rawItems = [
      item(
        'findOne({_id}) of a pledge summary (the least one query costs)',
        config.queryRequests,
        async () => ({
          documents: (await collection.findOne({ _id: someIds[nextId++ % someIds.length] })) ? 1 : 0,
        }),
      ),
      item('findOne({_id}) of the by-country snapshot', config.queryRequests, async () => ({
        documents: (await snapshots.get(name, 'country')) ? 1 : 0,
      })),
      item('find({}).toArray()', config.rawReads, async () => ({
        documents: (await collection.find({}).toArray()).length,
      })),
      item(
        'find({countries: "KE"}).sort({submittedAt: -1, _id: -1}).limit(50) (the list\'s query)',
        config.queryRequests,
        async () => ({
          documents: (
            await collection.find({ countries: 'KE' }).sort({ submittedAt: -1, _id: -1 }).limit(50).toArray()
          ).length,
        }),
      ),
    ];
    const items = [...httpItems, ...rawItems];
    rss.resetWindow();
    const cpu = new CpuWindow({ ...serverPids, api: api.child.pid });
    const budgetMs = config.querySeconds * 1000;
    const wants = (i: Item) => i.latencies.length < i.max && (i.latencies.length < 2 || i.spentMs < budgetMs);
    for (let round = 1; items.some(wants); round++) {
      const ran = items.filter(wants);
      for (const i of ran) {
        const t = hr();
        const outcome = await i.run();
        const ms = msSince(t);
        i.latencies.push(ms);
        i.spentMs += ms;
        if (outcome.status !== undefined) i.statuses[outcome.status] = (i.statuses[outcome.status] ?? 0) + 1;
        if (outcome.bytes !== undefined) i.bytes = outcome.bytes;
        if (outcome.documents !== undefined) i.documents = outcome.documents;
        i.note ??= outcome.note;
      }
      log(
        `  round ${round}: ${ran.map((i) => `${i.name.split(' (')[0]} ${fmt(i.latencies[i.latencies.length - 1], 0)}`).join(', ')} ms`,
      );
    }
    const queryCpu = cpu.end();
    const apiPeak = rss.resetWindow().api;
    agent.destroy();
    const queryResults: QueryResult[] = httpItems.map((i) => ({
      name: i.name,
      path: i.path!,
      requests: i.latencies.length,
      firstMs: i.latencies[0],
      latency: summarise(i.latencies),
      responseBytes: i.bytes,
      statuses: i.statuses,
      note: i.note,
    }));
    const rawResults: RawReadResult[] = rawItems.map((i) => {
      const latency = summarise(i.latencies);
      return {
        name: i.name,
        reads: i.latencies.length,
        documents: i.documents,
        latency,
        documentsPerSecond: i.documents / (latency.p50 / 1000),
      };
    });
    for (const q of queryResults) {
      log(
        `${q.name}: ${q.requests} requests, first ${fmt(q.firstMs)} ms, p50 ${fmt(q.latency.p50)}` +
          ` p99 ${fmt(q.latency.p99)} ms, ${fmt(q.responseBytes / 1024)} KiB${q.note ? `; ${q.note}` : ''}`,
      );
    }
    for (const r of rawResults) {
      log(`raw ${r.name}: ${r.reads} reads of ${r.documents} documents, p50 ${fmt(r.latency.p50)} ms`);
    }
    summary.part4 = {
      load: loadInfo,
      compile: compileInfo,
      queries: queryResults,
      raw: rawResults,
      cpuDuringQueries: queryCpu,
      apiRssPeakMiB: apiPeak,
      apiVmHwmMiB: procStatusMiB(api.child.pid!, 'VmHWM'),
    };
  }

  if (api) {
    summary.apiPeakRssMiB = rss.peak('api');
    rss.untrack('api');
    await stopChild(api.child);
  }

  // ---- summary ----------------------------------------------------------------------------------------------------
  summary.benchPeakRssMiB = rss.peak('bench');
  summary.machine = { ...(summary.machine as object), loadAverageAtEnd: os.loadavg() };
  await cleanUp();
  await sleep(300);
  const left = startedPids.filter((p) => processAlive(p.pid)).map((p) => `${p.name} (pid ${p.pid})`);
  summary.processesLeft = left;
  summary.durationSeconds = (Date.now() - startedAt) / 1000;

  process.stdout.write(`\n${renderReport(summary)}\n`);
  log(`summary written to ${saveSummary(`read-${stamp}`, summary)}`);
  if (left.length) {
    log(`PROCESSES LEFT RUNNING: ${left.join(', ')}`);
    process.exitCode = 1;
  } else {
    log(`all ${startedPids.length} processes the benchmark started have exited`);
  }
}

// ---- report -------------------------------------------------------------------------------------------------------

function cpuText(cpu: Record<string, number> | undefined, keys: string[]): string {
  return cpu ? keys.map((k) => fmt(cpu[k], 0)).join('/') : '–';
}

// The summary is assembled step by step; the renderer reads it loosely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function renderReport(s: Record<string, any>): string {
  const out: string[] = [];
  const m = s.machine;
  out.push(`## Read benchmark ${s.runId}`);
  out.push('');
  out.push(
    `${m.cpus} CPUs, load average at start ${m.loadAverageAtStart.map((l: number) => l.toFixed(2)).join(' ')},` +
      ` at end ${m.loadAverageAtEnd.map((l: number) => l.toFixed(2)).join(' ')}; Node ${m.node};` +
      ` apps from ${Object.entries(m.appsFrom)
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ')}. CPU: 100% = one core.`,
  );
  out.push(
    `Servers: ${s.config.server} at ${s.infra.mongoUri}, Kafka at ${s.infra.kafkaBrokers} (${s.infra.source}).` +
      (s.infra.databaseServerBinaryRebuiltSinceStart
        ? " The database server runs a binary rebuilt since it started: these are the old build's figures."
        : ''),
  );
  if (s.preload) {
    const p = s.preload;
    out.push(
      `Preloaded topic: ${p.events} events of ${p.pledges} pledges on ${p.partitions} partitions, ${p.order} order` +
        ` (${p.perPartition.join('/')}), mean message value ${fmt(p.meanValueBytes, 0)} B; built in memory in` +
        ` ${fmt(p.buildSeconds, 1)} s, produced at ${fmt(p.producePerSecond)} msg/s.`,
    );
  }
  if (s.part1) {
    const p = s.part1;
    out.push('');
    out.push(
      '### 1. Projection throughput vs raw consume and raw database writes (same topic, same consumer settings)',
    );
    out.push('');
    out.push(
      markdownTable(
        [
          'consumer',
          'messages',
          'seconds after join',
          'msg/s',
          'msg/s incl. join',
          'join ms',
          'CPU % db/kafka/bench',
        ],
        [p.raw, p.decoded, p.upserts, p.projection]
          .filter(Boolean)
          .map((r: ConsumeResult) => [
            r.name,
            r.messages,
            fmt(r.seconds, 2),
            fmt(r.perSecond),
            fmt(r.perSecondWithJoin),
            fmt(r.joinMs, 0),
            cpuText(r.cpu, ['db', 'kafka', 'bench']),
          ]),
      ),
    );
    out.push('');
    if (p.projection.partial) out.push('', `Projection: ${p.projection.partial}.`);
    out.push(
      `Projection ÷ raw consume: ${fmt(p.ratio, 4)} (÷ decode+hash: ${fmt(p.ratioToDecoded, 4)}; ÷ one upsert per` +
        ` message on the same database: ${fmt(p.ratioToUpserts, 2)}). Read model after` +
        ` projection: ${p.projection.documents} documents, versions sum ${p.projection.versionSum}` +
        ` (${p.projection.partial ? 'after the stop, which lets in-flight batches finish' : p.correct ? 'matches the topic' : 'DOES NOT match the topic'});` +
        ` applied ${p.projection.stats.applied},` +
        ` duplicates ${p.projection.stats.duplicates}, gaps filled ${p.projection.stats.gapsFilled}, parked ${p.projection.stats.parked}.` +
        ` Write amplification: ${p.projection.stats.summaryWrites} summary writes and` +
        ` ${p.projection.stats.indexWrites} pledge-index document writes for ${p.projection.messages} events` +
        ` = ${fmt((p.projection.stats.summaryWrites + p.projection.stats.indexWrites) / Math.max(1, p.projection.messages), 2)} documents per event.`,
    );
  }
  if (s.part2) {
    const r = s.part2;
    out.push('');
    out.push('### 2. Rebuild (rebuildPledgeSummaries, switchReaders: false, own node process)');
    out.push('');
    out.push(
      markdownTable(
        ['measure', 'value'],
        [
          ['events read', `${r.eventsRead}${r.partial ? ` (${r.partial})` : ''}`],
          ['seconds (wall, around the call)', fmt(r.wallMs / 1000, 2)],
          ['events/s', fmt(r.eventsPerSecond)],
          ["rebuild's own durationMs", String(r.durationMs)],
          [
            'documents in the new generation',
            `${r.documents} (${r.partial ? 'partial run' : r.correct ? 'as expected' : 'NOT as expected'})`,
          ],
          [
            'node RSS: before / peak (sampled 50 ms) / VmHWM MiB',
            `${fmt(r.rssBeforeMiB)} / ${fmt(r.rssPeakMiB)} / ${fmt(r.vmHwmMiB)}`,
          ],
          ['heapUsed peak MiB', fmt(r.heapUsedPeakMiB)],
          [
            'CPU % db/kafka (child start-up included) / rebuild process (during the call)',
            `${cpuText(r.cpu, ['db', 'kafka'])} / ${fmt(r.processCpuPercent, 0)}`,
          ],
        ],
      ),
    );
  }
  if (s.part3) {
    const p = s.part3;
    out.push('');
    out.push(
      `### 3. End-to-end lag under write load (${p.clients} clients × ${p.pledgesPerClient} pledges, ${fmt(p.seconds, 1)} s)`,
    );
    out.push('');
    const failures = Object.entries(p.writes.outcomes as Record<string, number>)
      .filter(([k]) => !/^2\d\d$/.test(k))
      .map(([k, v]) => `${k}×${v}`)
      .join(' ');
    out.push(
      markdownTable(
        ['measure', 'count', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
        (
          [
            ['write → visible in the read model (lag)', p.probe.lag],
            ['  lag, first third of the probes', p.probe.lagFirstThird],
            ['  lag, last third of the probes', p.probe.lagLastThird],
            ['  of which write → on the topic (relay)', p.probe.toTopic],
            ['probe write (POST progress)', p.probe.writeLatency],
            ['probe poll (GET /pledges/{id}/summary)', p.probe.pollLatency],
            ['load writes (POST progress)', p.writes.latency],
          ] as [string, LatencySummary][]
        ).map(([name, l]) => [name, l.count, fmt(l.p50), fmt(l.p95), fmt(l.p99), fmt(l.max)]),
      ),
    );
    out.push('');
    out.push(
      `Write throughput during the probe: ${fmt(p.writes.acceptedPerSecond)} accepted/s; failures: ${failures || 'none'}.` +
        ` Probe: one write on its own pledge every ${p.probe.intervalMs} ms (or right after the previous answer, if` +
        ` later); one poller reads GET /pledges/<probe pledge>/summary every ${p.probe.pollIntervalMs} ms after its previous` +
        ` answer while a probe write is unseen; failures ${p.probe.failures}, timeouts (>120 s) ${p.probe.timeouts}.` +
        ` Lag = from the write's 2xx answer to the answer of the first poll showing that version or a later one` +
        ` (so it includes up to one poll round trip). Projector caught up ${p.catchUpMsAfterLoad} ms after the load;` +
        ` events in the store ${p.eventsInStore.before} → ${p.eventsInStore.after}.`,
    );
    out.push(
      `CPU % during the load api/relay/projector/db/kafka/bench/other: ${cpuText(p.cpu, ['api', 'relay', 'projector', 'db', 'kafka', 'bench', 'other'])};` +
        ` peak RSS MiB api/relay/projector ${['api', 'relay', 'projector'].map((k) => fmt(p.rssPeakMiB[k], 0)).join('/')}.`,
    );
  }
  if (s.part4) {
    const p = s.part4;
    out.push('');
    out.push(`### 4. Query latency with ${p.load.documents} pledges in the summary read model`);
    out.push('');
    out.push(
      `Loaded by insertMany of summary documents built in memory from folded states (toSummaryDocument):` +
        ` ${fmt(p.load.insertPerSecond)} docs/s (${fmt(p.load.insertSeconds, 1)} s), indexes ${fmt(p.load.indexSeconds, 1)} s;` +
        ` ~${fmt(p.load.meanBsonBytes, 0)} B BSON per document; ${p.load.withCountryKE} name KE.` +
        ` Report snapshots (ReportSnapshots.compile, as the projector runs it): ${fmt(p.compile.seconds, 1)} s for` +
        ` ${p.compile.pledges} pledges (scan + report maths ${fmt(p.compile.scanAndReportMs / 1000, 1)} s), bench RSS` +
        ` +${fmt(p.compile.benchRssGrowthMiB, 0)} MiB, by-country snapshot ${fmt(p.compile.snapshotBsonBytes / 1024)} KiB.`,
    );
    out.push('');
    out.push(
      markdownTable(
        ['query', 'requests', 'first ms', 'p50 ms', 'p99 ms', 'max ms', 'response KiB', 'status'],
        [
          ...p.queries.map((q: QueryResult) => [
            `GET ${q.path}`,
            q.requests,
            fmt(q.firstMs),
            fmt(q.latency.p50),
            fmt(q.latency.p99),
            fmt(q.latency.max),
            fmt(q.responseBytes / 1024),
            Object.entries(q.statuses)
              .map(([k, v]) => `${k}×${v}`)
              .join(' ') + (q.note ? ` (${q.note})` : ''),
          ]),
          ...p.raw.map((r: RawReadResult) => [
            `raw ${r.name}`,
            r.reads,
            '',
            fmt(r.latency.p50),
            fmt(r.latency.p99),
            fmt(r.latency.max),
            '',
            `${r.documents} docs, ${fmt(r.documentsPerSecond)} docs/s at p50`,
          ]),
        ],
      ),
    );
    out.push('');
    out.push(
      `CPU % during the queries (HTTP and raw, interleaved) api/db/bench: ${cpuText(p.cpuDuringQueries, ['api', 'db', 'bench'])};` +
        ` API peak RSS ${fmt(p.apiRssPeakMiB)} MiB (VmHWM ${fmt(p.apiVmHwmMiB)} MiB).`,
    );
  }
  out.push('');
  out.push(
    `Run took ${fmt(s.durationSeconds)} s; bench process peak RSS ${fmt(s.benchPeakRssMiB)} MiB.` +
      ` Processes left running: ${s.processesLeft.length ? s.processesLeft.join(', ') : 'none'}.`,
  );
  return out.join('\n');
}

if (process.argv.includes('--rebuild-child')) {
  void rebuildChild()
    .catch((error: unknown) => {
      process.stderr.write(`rebuild child failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    })
    .finally(() => setTimeout(() => process.exit(process.exitCode ?? 0), 200).unref());
} else {
  runBenchmark(main, cleanUp, log);
}
