/**
 * Import benchmark (issue 13): a large CSV import (docs/import-template.md) through the real API, as a client
 * sends it, against the same events appended directly to the event store in the same run. Prints figures only:
 * no thresholds, no pass/fail.
 *
 *   npm run bench:import                 (100,000 rows)
 *   npm run bench:import -- --rows 10000 (a quick try)
 *
 * What it does, in one run:
 *   1. registers BENCH_ORGS organisations (admin key) and streams an import file to a temp file: per pledge a
 *      pledge row, its target row and two progress rows (4 rows, 3 events), effective dates 2015–2025, every
 *      pledge row naming its organisation (an admin import);
 *   2. imports it with `importFile` of ledger-cli (streams the upload, chooses the import's id, polls
 *      GET /imports/{id}): time until POST answers (upload + check), until the import is completed (record),
 *      and until the relay has put every event on the topic; the API's VmRSS sampled every 250 ms (and the
 *      relay's, and this process's own: the client must not hold the file either), shown at every tenth of the
 *      rows checked and applied, with VmHWM at the end;
 *   3. imports the same file again: nothing is recorded (every row is already in the ledger);
 *   4. baseline: the events the import recorded (read back from its database before the timing starts) appended
 *      with `MongoEventStore.append` into a fresh database on the same server, IMPORT_CONCURRENCY pledges at
 *      once, each pledge's events in order, with the fold as the head's snapshot as the API keeps it.
 *
 * Both the import and the baseline run with an outbox relay of their own (dist/apps/relay, its own database and
 * topic, a separate process as `npm start` runs it) publishing while they write, so both pay the same downstream
 * cost; "published" times run until the topic holds every event. The API runs from dist/ (RELAY_IN_PROCESS=false)
 * with a database, topics, port and admin key of its own; nothing of a running `npm start` ledger is used.
 *
 * Options (flags, or the environment):
 *   --rows N            / IMPORT_BENCH_ROWS=100000  rows of the file (rounded up to whole pledges of 4 rows)
 *   --orgs N            / BENCH_ORGS=20             organisations the pledges belong to
 *   --concurrency N     / IMPORT_CONCURRENCY=8      pledges the import (and the baseline) handles at once
 *   --keep-file                                     leave the generated file in place (its path is printed)
 *   KAFKA_BROKERS, MONGODB_URI   servers to use; else `infra/scripts/infra.sh up` (stopped at the end if started)
 *   PLEDGE_EVENTS_PARTITIONS=6   partitions of both topics
 *   BENCH_DRAIN_TIMEOUT_SECONDS=600  after the import, wait at most this long for its relay to publish everything
 *                                    (before the re-import, so that the relay's backlog does not run into it)
 *   BENCH_DIRECT_DRAIN_SECONDS=60    after the baseline's appends, wait at most this long for its relay (the rate so
 *                                    far is reported; its backlog is larger than the import's and would add minutes)
 */
import { createWriteStream } from 'node:fs';
import { open, readFile, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Admin } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { createKafka } from '@ledger/messaging/kafka-client';
import {
  evolve,
  importedPledgeId,
  initialPledgeState,
  pledgeEventOf,
  pledgeStreamId,
  type PledgeState,
} from '@ledger/domain';
import type { RecordedEvent } from '@ledger/event-store/recorded-event';
import { importFile, type ImportProgress } from '../../apps/ledger-cli/src/import/import-client';
import type { ImportStatus } from '../../apps/ledger-cli/src/import/import-types';
import { stopApp } from '../support/app-process';
import {
  cpuCount,
  CpuWindow,
  envInt,
  fmt,
  freePort,
  httpJson,
  infraServerPid,
  machineAtStart,
  markdownTable,
  pidListeningOn,
  procStatusMiB,
  ROOT,
  sleep,
  staleBuild,
} from './bench-support';
import { launchApp } from './support/app-launch';
import { cleanUpOnSignals, CleanUps, runBenchmark, saveSummary, serversUp } from './support/lifecycle';

// ---- configuration -----------------------------------------------------------------------------------------

const { values: flags } = parseArgs({
  options: {
    rows: { type: 'string' },
    orgs: { type: 'string' },
    concurrency: { type: 'string' },
    'keep-file': { type: 'boolean', default: false },
  },
  strict: true,
});

function positive(flag: string | undefined, env: string, fallback: number): number {
  const value = flag === undefined ? envInt(env, fallback) : Number(flag);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${env} (or its flag) must be a positive integer`);
  return value;
}

const ROWS_PER_PLEDGE = 4;
const EVENTS_PER_PLEDGE = 3;
const requestedRows = positive(flags.rows, 'IMPORT_BENCH_ROWS', 100_000);
const config = {
  pledges: Math.ceil(requestedRows / ROWS_PER_PLEDGE),
  rows: Math.ceil(requestedRows / ROWS_PER_PLEDGE) * ROWS_PER_PLEDGE,
  organisations: positive(flags.orgs, 'BENCH_ORGS', 20),
  concurrency: positive(flags.concurrency, 'IMPORT_CONCURRENCY', 8),
  partitions: positive(undefined, 'PLEDGE_EVENTS_PARTITIONS', 6),
  sampleMs: 250,
  pollMs: 250,
  drainTimeoutSeconds: envInt('BENCH_DRAIN_TIMEOUT_SECONDS', 600),
  directDrainSeconds: envInt('BENCH_DIRECT_DRAIN_SECONDS', 60),
  keepFile: flags['keep-file'] === true,
};
const events = config.pledges * EVENTS_PER_PLEDGE;
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
const adminKey = `bench_admin_${randomBytes(24).toString('base64url')}`;
const SOURCE = {
  name: `Import benchmark registry ${stamp}`,
  url: 'https://example.org/import-bench-registry',
  retrievedOn: new Date().toISOString().slice(0, 10),
};
const MIB = 2 ** 20;
const hr = () => process.hrtime.bigint();
const secondsSince = (t: bigint) => Number(hr() - t) / 1e9;

function log(message: string): void {
  process.stdout.write(`[import-bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

const cleanups = new CleanUps(log);
const cleanUp = () => cleanups.run();

// ---- the import file ----------------------------------------------------------------------------------------

const COLUMNS = [
  'kind',
  'pledgeId',
  'occurredAt',
  'author',
  'actorId',
  'title',
  'description',
  'countries',
  'regions',
  'actions',
  'amount',
  'currency',
  'targetId',
  'indicator',
  'unit',
  'baseline',
  'targetValue',
  'deadline',
  'reportId',
  'value',
  'asOf',
  'narrative',
  'evidence',
] as const;
type Row = Partial<Record<(typeof COLUMNS)[number], string | number>>;

const COUNTRIES: [string, string][] = [
  ['KE', 'africa'],
  ['RW', 'africa'],
  ['NG', 'africa'],
  ['GH', 'africa'],
  ['ZA', 'africa'],
  ['SN', 'africa'],
  ['IN', 'asia'],
  ['BD', 'asia'],
  ['ID', 'asia'],
  ['PH', 'asia'],
  ['BR', 'americas'],
  ['MX', 'americas'],
  ['CO', 'americas'],
  ['PE', 'americas'],
  ['DE', 'europe'],
  ['SE', 'europe'],
  ['ES', 'europe'],
  ['FJ', 'oceania'],
  ['PG', 'oceania'],
  ['EG', 'africa'],
];
const ACTIONS = ['access', 'capacities', 'policies', 'leadership', 'partnerships'];
const CURRENCIES = ['USD', 'EUR', 'GBP'];
const AUTHORS = ['ICT focal point', "Minister's office", 'Gender desk', 'Digital inclusion unit'];
const DAY = 86_400_000;
const FIRST_DAY = Date.parse('2015-01-01');
const LAST_SUBMISSION = Date.parse('2023-12-31');
const LAST_DAY = Date.parse('2025-12-31');
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Deterministic pseudo-random numbers (mulberry32), so that every run imports the same file. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pledgeRef = (i: number) => `IB-${String(i + 1).padStart(7, '0')}`;

/** The four rows of pledge `i`: pledge, target, two progress reports, oldest first. */
function pledgeRows(i: number, orgs: { id: string; country: string }[]): Row[] {
  const rnd = random(i + 1);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)];
  const org = orgs[i % orgs.length];
  const ref = pledgeRef(i);
  const region = COUNTRIES.find(([c]) => c === org.country)?.[1] ?? 'africa';
  const second = rnd() < 0.3 ? pick(COUNTRIES)[0] : undefined;
  const submitted = FIRST_DAY + Math.floor(rnd() * ((LAST_SUBMISSION - FIRST_DAY) / DAY)) * DAY;
  const thousands = 5 + Math.floor(rnd() * 95);
  const target = thousands * 1000;
  const actions = [`wsis10-gender-gap/${pick(ACTIONS)}`];
  if (rnd() < 0.4)
    actions.push(`wsis10-gender-gap/${ACTIONS[(ACTIONS.indexOf(actions[0].split('/')[1]) + 1) % 5]}`);
  const funded = rnd() < 0.5;
  const deadlineYear = new Date(submitted).getUTCFullYear() + 3 + Math.floor(rnd() * 5);
  const report1 = Math.min(LAST_DAY, submitted + (60 + Math.floor(rnd() * 540)) * DAY);
  const report2 = Math.min(LAST_DAY, report1 + (90 + Math.floor(rnd() * 600)) * DAY);
  const asOf = (sent: number) => dateOf(Math.max(submitted, sent - Math.floor(rnd() * 30) * DAY));
  const narrative = (n: number) =>
    `Report ${n} for ${ref}: courses held in ${3 + Math.floor(rnd() * 40)} districts, with childcare, ` +
    `mobile data bundles and mentoring for the women and girls taking part; figures from the training providers.`;
  return [
    {
      kind: 'pledge',
      pledgeId: ref,
      occurredAt: dateOf(submitted),
      author: pick(AUTHORS),
      actorId: org.id,
      title: `Digital skills for ${thousands},000 women (${org.country})`,
      description:
        'Free training in every district: basic digital skills, online safety and "first smartphone" ' +
        'support, delivered with libraries and community centres.',
      countries: second && second !== org.country ? `${org.country};${second}` : org.country,
      regions: region,
      actions: actions.join(';'),
      ...(funded ? { amount: (50 + Math.floor(rnd() * 4950)) * 1000, currency: pick(CURRENCIES) } : {}),
    },
    {
      kind: 'target',
      pledgeId: ref,
      targetId: 'women-trained',
      indicator: 'Women completing basic digital skills training',
      unit: 'people',
      baseline: 0,
      targetValue: target,
      deadline: `${deadlineYear}-12-31`,
    },
    ...[report1, report2].map((sent, n): Row => ({
      kind: 'progress',
      pledgeId: ref,
      occurredAt: dateOf(sent),
      author: pick(AUTHORS),
      targetId: 'women-trained',
      reportId: `r-${n + 1}`,
      value: Math.round(target * (n === 0 ? 0.1 + rnd() * 0.3 : 0.4 + rnd() * 0.5)),
      asOf: asOf(sent),
      narrative: narrative(n + 1),
      evidence: `https://example.org/reports/${ref}/${n + 1}`,
    })),
  ];
}

function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Streams the file to `path` (never held in memory); returns its size in bytes. */
async function writeImportFile(path: string, orgs: { id: string; country: string }[]): Promise<number> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(`${COLUMNS.join(',')}\r\n`);
  let chunk = '';
  for (let i = 0; i < config.pledges; i++) {
    for (const row of pledgeRows(i, orgs)) chunk += `${COLUMNS.map((c) => csvCell(row[c])).join(',')}\r\n`;
    if (chunk.length > 64 * 1024) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  out.end();
  await once(out, 'finish');
  return (await stat(path)).size;
}

// ---- sampling -----------------------------------------------------------------------------------------------

interface RssSample {
  t: number;
  api?: number;
  relay?: number;
  bench?: number;
}

interface ProgressSample {
  t: number;
  phase: ImportProgress['phase'];
  bytesSent: number;
  rowsRead: number;
  rowsApplied: number;
  recorded: number;
}

/** VmRSS of the API, its relay and this process every `config.sampleMs`, timed from `origin`. */
class Sampler {
  readonly samples: RssSample[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly pids: { api?: number; relay?: number },
    private readonly origin: bigint,
  ) {}

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), config.sampleMs);
    return this;
  }

  stop(): RssSample[] {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    return this.samples;
  }

  private sample(): void {
    this.samples.push({
      t: secondsSince(this.origin),
      api: this.pids.api === undefined ? undefined : procStatusMiB(this.pids.api, 'VmRSS'),
      relay: this.pids.relay === undefined ? undefined : procStatusMiB(this.pids.relay, 'VmRSS'),
      bench: procStatusMiB(process.pid, 'VmRSS'),
    });
  }
}

const peakOf = (samples: RssSample[], key: 'api' | 'relay' | 'bench') =>
  samples.reduce((max, s) => Math.max(max, s[key] ?? 0), 0) || undefined;

/** Sum of the high watermarks of a topic's partitions: the messages on it (0 until it exists). */
async function messagesOn(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic).catch(() => undefined);
  return offsets ? offsets.reduce((sum, p) => sum + Number(p.high), 0) : 0;
}

/** Waits until `topic` holds `count` messages; the seconds since `origin` when it did (undefined: timed out). */
async function publishedBy(admin: Admin, topic: string, count: number, origin: bigint, limitSeconds: number) {
  const deadline = Date.now() + limitSeconds * 1000;
  for (;;) {
    const on = await messagesOn(admin, topic);
    if (on >= count) return { seconds: secondsSince(origin), onTopic: on, elapsed: secondsSince(origin) };
    if (Date.now() >= deadline) return { seconds: undefined, onTopic: on, elapsed: secondsSince(origin) };
    await sleep(100);
  }
}

// ---- one import through the API ------------------------------------------------------------------------------

interface ImportRun {
  status: ImportStatus;
  /** Seconds from the start of the upload. */
  sentSeconds?: number;
  answeredSeconds: number;
  completedSeconds: number;
  publishedSeconds?: number;
  onTopic?: number;
  /** Events on the topic when the import was seen completed. */
  onTopicAtCompletion?: number;
  /** Server side: finishedAt − startedAt of the import. */
  serverSeconds: number;
  rss: RssSample[];
  progress: ProgressSample[];
  cpu: { check: Record<string, number>; record?: Record<string, number> };
}

async function runImport(
  label: string,
  api: { url: URL; pid: number },
  relayPid: number,
  file: string,
  bytes: number,
  cpuPids: Record<string, number | undefined>,
  published?: { admin: Admin; topic: string; before: number },
): Promise<ImportRun> {
  const origin = hr();
  const sampler = new Sampler({ api: api.pid, relay: relayPid }, origin).start();
  const progress: ProgressSample[] = [];
  let sentSeconds: number | undefined;
  let answeredSeconds: number | undefined;
  let lastLog = 0;
  const checkCpu = new CpuWindow(cpuPids);
  let checkCpuResult: Record<string, number> | undefined;
  let recordCpu: CpuWindow | undefined;
  const status = await importFile({
    apiUrl: api.url.origin,
    apiKey: adminKey,
    file,
    format: 'csv',
    source: SOURCE,
    pollMs: config.pollMs,
    onProgress: (p) => {
      const t = secondsSince(origin);
      if (sentSeconds === undefined && p.bytesSent === bytes) sentSeconds = t;
      if (answeredSeconds === undefined && (p.phase === 'recording' || p.phase === 'done')) {
        answeredSeconds = t;
        checkCpuResult = checkCpu.end();
        recordCpu = new CpuWindow(cpuPids);
      }
      if (p.status)
        progress.push({
          t,
          phase: p.phase,
          bytesSent: p.bytesSent,
          rowsRead: p.status.rowsRead,
          rowsApplied: p.status.rowsApplied,
          recorded: p.status.recorded,
        });
      if (p.status && t - lastLog >= 10) {
        lastLog = t;
        log(
          `${label}: ${fmt(t, 0)} s, ${p.phase}: sent ${fmt((100 * p.bytesSent) / bytes, 0)}%, read ${p.status.rowsRead},` +
            ` applied ${p.status.rowsApplied}, recorded ${p.status.recorded}; API RSS` +
            ` ${fmt(procStatusMiB(api.pid, 'VmRSS'))} MiB`,
        );
      }
    },
  });
  const completedSeconds = secondsSince(origin);
  const recordCpuResult = recordCpu && status.recorded > 0 ? recordCpu.end() : undefined;
  let publishedSeconds: number | undefined;
  let onTopic: number | undefined;
  let onTopicAtCompletion: number | undefined;
  if (published && status.recorded > 0) {
    onTopicAtCompletion = (await messagesOn(published.admin, published.topic)) - published.before;
    const done = await publishedBy(
      published.admin,
      published.topic,
      published.before + status.recorded,
      origin,
      config.drainTimeoutSeconds,
    );
    publishedSeconds = done.seconds;
    onTopic = done.onTopic - published.before;
  }
  const rss = sampler.stop();
  return {
    status,
    sentSeconds,
    answeredSeconds: answeredSeconds ?? completedSeconds,
    completedSeconds,
    publishedSeconds,
    onTopic,
    onTopicAtCompletion,
    serverSeconds: (Date.parse(status.finishedAt ?? status.updatedAt) - Date.parse(status.startedAt)) / 1000,
    rss,
    progress,
    cpu: { check: checkCpuResult ?? checkCpu.end(), record: recordCpuResult },
  };
}

/**
 * RSS at each tenth of the rows checked (rowsRead before POST answered) and applied (rowsApplied after): the
 * last sample at or before the moment the status first showed that many rows, and the peak since the tenth before.
 */
function rssByDecile(run: ImportRun, rows: number) {
  const at = (t: number) => [...run.rss].reverse().find((s) => s.t <= t) ?? run.rss[0];
  const lines: {
    phase: string;
    share: number;
    t: number;
    api?: number;
    apiPeak?: number;
    relay?: number;
    bench?: number;
  }[] = [];
  const phase = (
    name: string,
    from: number,
    progressOf: (p: ProgressSample) => number,
    samples: ProgressSample[],
    end: number,
  ) => {
    let previous = from;
    for (let d = 1; d <= 10; d++) {
      const reached = samples.find((p) => progressOf(p) >= (rows * d) / 10);
      const t = reached?.t ?? (d === 10 ? end : undefined);
      if (t === undefined) continue;
      const window = run.rss.filter((s) => s.t > previous && s.t <= t);
      const point = at(t);
      lines.push({
        phase: name,
        share: d * 10,
        t,
        api: point.api,
        apiPeak: peakOf(window.length ? window : [point], 'api'),
        relay: point.relay,
        bench: point.bench,
      });
      previous = t;
    }
  };
  const upload = run.sentSeconds ?? 0;
  const point = at(upload);
  lines.push({
    phase: 'upload sent',
    share: 100,
    t: upload,
    api: point.api,
    apiPeak: peakOf(
      run.rss.filter((s) => s.t <= upload),
      'api',
    ),
    relay: point.relay,
    bench: point.bench,
  });
  phase(
    'check',
    upload,
    (p) => p.rowsRead,
    run.progress.filter((p) => p.t <= run.answeredSeconds),
    run.answeredSeconds,
  );
  if (run.status.recorded > 0)
    phase(
      'record',
      run.answeredSeconds,
      (p) => p.rowsApplied,
      run.progress.filter((p) => p.t > run.answeredSeconds),
      run.completedSeconds,
    );
  return lines;
}

// ---- main -------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const startedAt = Date.now();
  const machineStart = machineAtStart();
  cleanUpOnSignals(cleanUp, log);
  log(
    `${config.rows} rows = ${config.pledges} pledges × ${ROWS_PER_PLEDGE} rows (pledge, target, 2 progress) =` +
      ` ${events} events; ${config.organisations} organisations; IMPORT_CONCURRENCY ${config.concurrency}`,
  );

  const infra = serversUp(cleanups, log);
  log(`servers (${infra.source}): KAFKA_BROKERS=${infra.kafkaBrokers} MONGODB_URI=${infra.mongoUri}`);
  // Modules below load the ledger's configuration when imported, which reads these.
  process.env.MONGODB_URI = infra.mongoUri;
  process.env.KAFKA_BROKERS = infra.kafkaBrokers;
  const { uniqueName } = await import('@ledger/testing');
  const { MongoEventStore, PLEDGE_UPCASTERS } = await import('@ledger/event-store');
  const runId = uniqueName('ibench');
  const importDbName = runId;
  const directDbName = `${runId}_direct`;
  const importTopic = `${runId}_import_events`;
  const directTopic = `${runId}_direct_events`;

  const stale = staleBuild(['ledger-api', 'relay']);
  if (stale) log(`NOTE: ${stale}: the apps measured are that build`);

  const mongo = await new MongoClient(infra.mongoUri, {
    serverSelectionTimeoutMS: 5000,
    maxPoolSize: 50,
    appName: runId,
    ignoreUndefined: true,
  }).connect();
  cleanups.push({ name: 'mongo client', run: () => mongo.close() });
  const databases = [importDbName, `${importDbName}_read`, directDbName, `${directDbName}_read`];
  cleanups.push({
    name: 'drop databases',
    run: async () => {
      await Promise.all(databases.map((name) => mongo.db(name).dropDatabase()));
      log(`dropped databases ${databases.join(', ')}`);
    },
  });
  const buildInfo = await mongo.db('admin').command({ buildInfo: 1 });
  const mongoPort = Number(new URL(infra.mongoUri).port || 27017);
  const kafkaPort = Number(infra.kafkaBrokers.split(',')[0].split(':')[1]);
  const dbPid = infraServerPid('mongo', mongoPort) ?? pidListeningOn(mongoPort);
  const kafkaPid = infraServerPid('kafka', kafkaPort) ?? pidListeningOn(kafkaPort);
  const server = await describeServer(buildInfo, dbPid);
  log(
    `database server: ${server}; server pids (CPU figures): database ${dbPid ?? '?'}, Kafka ${kafkaPid ?? '?'}`,
  );

  const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: runId, logLevel: 'fatal' });
  const admin = kafka.admin();
  await admin.connect();
  cleanups.push({ name: 'kafka admin', run: () => admin.disconnect() });
  cleanups.push({
    name: 'delete topics',
    run: async () => {
      const mine = (await admin.listTopics()).filter((t) => t.startsWith(runId));
      if (mine.length) await admin.deleteTopics({ topics: mine, timeout: 30_000 });
      log(`deleted topics ${mine.join(', ') || '(none)'}`);
    },
  });

  const file = resolve(os.tmpdir(), `${runId}.csv`);
  if (!config.keepFile) cleanups.push({ name: 'import file', run: () => rm(file, { force: true }) });

  const appEnv = (db: string, topic: string) => ({
    NODE_ENV: 'production',
    MONGODB_URI: infra.mongoUri,
    MONGODB_DB: db,
    KAFKA_BROKERS: infra.kafkaBrokers,
    PLEDGE_EVENTS_TOPIC: topic,
    DEAD_LETTER_TOPIC: `${topic}.dead-letter`,
    PLEDGE_EVENTS_PARTITIONS: String(config.partitions),
    ADMIN_API_KEY: adminKey,
    IMPORT_CONCURRENCY: String(config.concurrency),
    HTTP_HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    RELAY_IN_PROCESS: 'false',
  });
  const launch = async (app: 'ledger-api' | 'relay', env: Record<string, string>) => {
    const launched = await launchApp(app, env, (child) =>
      cleanups.push({ name: app, run: () => stopApp(child) }),
    );
    return { ...launched, pid: launched.child.pid! };
  };

  // ---- set-up: API, its relay, organisations, the file ---------------------------------------------------------
  const api = await launch('ledger-api', { ...appEnv(importDbName, importTopic), HTTP_PORT: '0' });
  log(`ledger API up at ${api.url.origin} in ${api.startupMs} ms (pid ${api.pid}), database ${importDbName}`);
  const relayA = await launch('relay', {
    ...appEnv(importDbName, importTopic),
    HTTP_PORT: String(await freePort()),
  });
  log(`relay for the import up in ${relayA.startupMs} ms (pid ${relayA.pid}), topic ${importTopic}`);

  const orgs: { id: string; country: string }[] = [];
  for (let i = 0; i < config.organisations; i++) {
    const country = COUNTRIES[i % COUNTRIES.length][0];
    const answer = await httpJson<{ id: string }>(api.url, 'POST', '/actors/organisations', {
      key: adminKey,
      body: { name: `Import bench ministry ${i + 1} ${runId}`, type: 'government', country },
    });
    if (answer.status !== 201)
      throw new Error(`registering an organisation: ${answer.status} ${JSON.stringify(answer.body)}`);
    orgs.push({ id: answer.body.id, country });
  }
  log(`registered ${orgs.length} organisations`);

  const generated = hr();
  const benchRssBeforeFile = procStatusMiB(process.pid, 'VmRSS');
  const bytes = await writeImportFile(file, orgs);
  const generation = {
    seconds: secondsSince(generated),
    bytes,
    benchRssBefore: benchRssBeforeFile,
    benchRssAfter: procStatusMiB(process.pid, 'VmRSS'),
  };
  log(
    `wrote ${file}: ${config.rows} rows + header, ${fmt(bytes / MIB)} MiB (${fmt(bytes / config.rows, 0)} B/row) in` +
      ` ${fmt(generation.seconds)} s`,
  );
  if (config.keepFile) log(`--keep-file: ${file} stays after the run`);
  // The file's first pledge, for the report.
  const head = await firstLines(file, 5);

  const cpuPids = { api: api.pid, relay: relayA.pid, db: dbPid, kafka: kafkaPid };
  const apiHwmBefore = procStatusMiB(api.pid, 'VmHWM');

  // ---- 1. the import ------------------------------------------------------------------------------------------------
  log(`importing ${config.rows} rows through POST /imports (ledger-cli importFile)`);
  const imported = await runImport('import', api, relayA.pid, file, bytes, cpuPids, {
    admin,
    topic: importTopic,
    before: await messagesOn(admin, importTopic),
  });
  const importHwm = { api: procStatusMiB(api.pid, 'VmHWM'), relay: procStatusMiB(relayA.pid, 'VmHWM') };
  if (imported.status.recorded !== events || imported.status.rowsApplied !== config.rows)
    throw new Error(
      `the import recorded ${imported.status.recorded} events of ${events} (${JSON.stringify(imported.status)})`,
    );
  log(
    `import completed: answered after ${fmt(imported.answeredSeconds, 2)} s (upload sent at ${fmt(imported.sentSeconds, 2)} s),` +
      ` completed at ${fmt(imported.completedSeconds, 2)} s, all ${imported.onTopic} events on the topic at` +
      ` ${fmt(imported.publishedSeconds, 2)} s; API VmHWM ${fmt(importHwm.api)} MiB`,
  );

  // ---- 2. the same file again ------------------------------------------------------------------------------------
  log('importing the same file again (nothing to record)');
  const again = await runImport('re-import', api, relayA.pid, file, bytes, cpuPids);
  if (again.status.recorded !== 0 || again.status.alreadyRecorded !== config.rows)
    throw new Error(`the re-import was not idempotent: ${JSON.stringify(again.status)}`);
  log(
    `re-import: ${again.status.status} in ${fmt(again.completedSeconds, 2)} s, ${again.status.alreadyRecorded} rows already recorded`,
  );
  const againHwm = procStatusMiB(api.pid, 'VmHWM');

  // ---- the baseline's events: what the import recorded, read back before the timing ----------------------------
  const readStarted = hr();
  type Pending = Pick<
    RecordedEvent,
    | 'type'
    | 'payload'
    | 'occurredAt'
    | 'provenance'
    | 'principal'
    | 'correlationId'
    | 'causationId'
    | 'version'
    | 'streamId'
  >;
  const byStream = new Map<string, Pending[]>();
  const cursor = mongo
    .db(importDbName)
    .collection<RecordedEvent>('events')
    .find(
      {},
      {
        projection: {
          _id: 0,
          type: 1,
          payload: 1,
          occurredAt: 1,
          provenance: 1,
          principal: 1,
          correlationId: 1,
          causationId: 1,
          version: 1,
          streamId: 1,
        },
      },
    );
  for await (const doc of cursor) {
    const list = byStream.get(doc.streamId) ?? [];
    list.push(doc);
    byStream.set(doc.streamId, list);
  }
  const streams = Array.from({ length: config.pledges }, (_, i) => {
    const streamId = pledgeStreamId(importedPledgeId(SOURCE.name, pledgeRef(i)));
    const list = byStream.get(streamId);
    if (!list || list.length !== EVENTS_PER_PLEDGE)
      throw new Error(`${streamId}: ${list?.length ?? 0} events read back`);
    return { streamId, events: list.sort((a, b) => a.version - b.version) };
  });
  byStream.clear();
  const readBack = { seconds: secondsSince(readStarted), benchRss: procStatusMiB(process.pid, 'VmRSS') };
  log(
    `read the ${events} imported events back in ${fmt(readBack.seconds)} s (bench RSS now ${fmt(readBack.benchRss)} MiB)`,
  );

  const apiFinal = { rss: procStatusMiB(api.pid, 'VmRSS'), hwm: procStatusMiB(api.pid, 'VmHWM') };
  await stopApp(relayA.child);
  await stopApp(api.child);
  log('stopped the API and its relay');

  // ---- 3. baseline: the same events appended directly, with a relay of their own --------------------------------
  const directDb = mongo.db(directDbName);
  const store = new MongoEventStore(directDb, PLEDGE_UPCASTERS);
  await store.ensureIndexes();
  const relayB = await launch('relay', {
    ...appEnv(directDbName, directTopic),
    HTTP_PORT: String(await freePort()),
  });
  log(
    `relay for the baseline up in ${relayB.startupMs} ms (pid ${relayB.pid}), database ${directDbName}, topic ${directTopic}`,
  );
  const directBefore = await messagesOn(admin, directTopic);
  log(`appending ${events} events with MongoEventStore.append, ${config.concurrency} pledges at once`);
  const directOrigin = hr();
  const directSampler = new Sampler({ relay: relayB.pid }, directOrigin).start();
  const directCpu = new CpuWindow({ relay: relayB.pid, db: dbPid, kafka: kafkaPid });
  let next = 0;
  let appended = 0;
  let lastLog = 0;
  await Promise.all(
    Array.from({ length: config.concurrency }, async () => {
      while (next < streams.length) {
        const { streamId, events: list } = streams[next++];
        let state: PledgeState = initialPledgeState;
        for (const event of list) {
          // As the import does: the fold after the event is the head's snapshot.
          state = evolve(state, pledgeEventOf(event));
          await store.append(
            streamId,
            event.version - 1,
            {
              type: event.type,
              payload: event.payload,
              occurredAt: event.occurredAt,
              provenance: event.provenance,
            },
            {
              principal: event.principal,
              correlationId: event.correlationId,
              causationId: event.causationId,
            },
            { kind: 'pledge-state@1', state },
          );
          appended += 1;
        }
        const t = secondsSince(directOrigin);
        if (t - lastLog >= 10) {
          lastLog = t;
          log(`direct: ${fmt(t, 0)} s, ${appended} events appended`);
        }
      }
    }),
  );
  const directAppendSeconds = secondsSince(directOrigin);
  const directAppendCpu = directCpu.end();
  const directOnTopicAtEnd = (await messagesOn(admin, directTopic)) - directBefore;
  const directPublished = await publishedBy(
    admin,
    directTopic,
    directBefore + events,
    directOrigin,
    config.directDrainSeconds,
  );
  const directRss = directSampler.stop();
  const direct = {
    events: appended,
    appendSeconds: directAppendSeconds,
    publishedSeconds: directPublished.seconds,
    onTopic: directPublished.onTopic - directBefore,
    onTopicAtEnd: directOnTopicAtEnd,
    /** Seconds from the first append to the last look at the topic (all on it, or the time limit). */
    publishWindowSeconds: directPublished.elapsed,
    cpu: directAppendCpu,
    relayPeakMiB: peakOf(directRss, 'relay'),
    relayHwmMiB: procStatusMiB(relayB.pid, 'VmHWM'),
    benchPeakMiB: peakOf(directRss, 'bench'),
  };
  log(
    `direct: ${appended} events appended in ${fmt(directAppendSeconds, 2)} s (${fmt(appended / directAppendSeconds)}/s),` +
      ` ${directOnTopicAtEnd} on the topic then; ` +
      (directPublished.seconds !== undefined
        ? `all on the topic at ${fmt(directPublished.seconds, 2)} s`
        : `${directPublished.onTopic - directBefore} on the topic at ${fmt(directPublished.elapsed, 2)} s` +
          ` (BENCH_DIRECT_DRAIN_SECONDS=${config.directDrainSeconds}: not waiting for the rest)`),
  );
  await stopApp(relayB.child);

  // ---- summary -------------------------------------------------------------------------------------------------------
  const rowsPerEvent = config.rows / events;
  const i = imported;
  const recordSeconds = i.completedSeconds - i.answeredSeconds;
  const summary = {
    runId,
    startedAt: new Date(startedAt).toISOString(),
    durationSeconds: 0,
    config,
    machine: {
      ...machineStart,
      loadAverageAtEnd: os.loadavg(),
      cores: cpuCount(),
      server,
      kafka: infra.kafkaBrokers,
    },
    appsFrom: process.env.LEDGER_TEST_FROM_SOURCE === 'true' ? 'source' : 'dist',
    staleBuild: stale,
    file: { ...generation, rows: config.rows, pledges: config.pledges, events, head },
    import: {
      uploadSentSeconds: i.sentSeconds,
      uploadAndCheckSeconds: i.answeredSeconds,
      recordSeconds,
      totalSeconds: i.completedSeconds,
      publishedSeconds: i.publishedSeconds,
      serverSeconds: i.serverSeconds,
      status: i.status,
      rowsPerSecond: config.rows / i.completedSeconds,
      eventsPerSecond: events / i.completedSeconds,
      checkRowsPerSecond: config.rows / i.answeredSeconds,
      recordRowsPerSecond: config.rows / recordSeconds,
      recordEventsPerSecond: events / recordSeconds,
      publishedEventsPerSecond: i.publishedSeconds ? events / i.publishedSeconds : undefined,
      // Nothing is published before the record phase: the relay's rate from its start.
      relayEventsPerSecond: i.publishedSeconds
        ? events / (i.publishedSeconds - i.answeredSeconds)
        : undefined,
      onTopicAtCompletion: i.onTopicAtCompletion,
      cpu: i.cpu,
      apiHwmBeforeMiB: apiHwmBefore,
      apiHwmMiB: importHwm.api,
      relayHwmMiB: importHwm.relay,
      apiPeakMiB: peakOf(i.rss, 'api'),
      apiStartMiB: i.rss[0]?.api,
      relayPeakMiB: peakOf(i.rss, 'relay'),
      benchPeakMiB: peakOf(i.rss, 'bench'),
      benchStartMiB: i.rss[0]?.bench,
      deciles: rssByDecile(i, config.rows),
    },
    reimport: {
      seconds: again.completedSeconds,
      serverSeconds: again.serverSeconds,
      rowsPerSecond: config.rows / again.completedSeconds,
      state: again.status.status,
      recorded: again.status.recorded,
      alreadyRecorded: again.status.alreadyRecorded,
      apiPeakMiB: peakOf(again.rss, 'api'),
      apiHwmMiB: againHwm,
      benchPeakMiB: peakOf(again.rss, 'bench'),
      cpu: again.cpu.check,
      deciles: rssByDecile(again, config.rows),
    },
    apiAtEnd: apiFinal,
    readBack,
    direct: {
      ...direct,
      eventsPerSecond: direct.events / direct.appendSeconds,
      rowsEquivalentPerSecond: (direct.events * rowsPerEvent) / direct.appendSeconds,
      // The relay's rate over what it published by the last look at the topic (all, or at the time limit).
      publishedEventsPerSecond: direct.onTopic / direct.publishWindowSeconds,
    },
    ratios: {
      importOverallToDirect:
        config.rows / i.completedSeconds / ((direct.events * rowsPerEvent) / direct.appendSeconds),
      importRecordToDirect: direct.appendSeconds / recordSeconds,
      importRelayToDirectRelay: i.publishedSeconds
        ? events / (i.publishedSeconds - i.answeredSeconds) / (direct.onTopic / direct.publishWindowSeconds)
        : undefined,
    },
  };
  await cleanUp();
  summary.durationSeconds = (Date.now() - startedAt) / 1000;
  process.stdout.write(`\n${renderReport(summary)}\n`);
  log(`summary written to ${saveSummary(`import-${stamp}`, summary)}`);
}

/** The first `count` lines of a file, from its first 4 KiB (the file is never read whole). */
async function firstLines(path: string, count: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    return buffer.subarray(0, bytesRead).toString('utf8').split('\r\n').slice(0, count).join('\n');
  } finally {
    await handle.close();
  }
}

/** What the database server is: FerretDB (version, backend from its command line) or MongoDB. */
async function describeServer(buildInfo: Record<string, unknown>, pid: number | undefined): Promise<string> {
  if (!('ferretdbVersion' in buildInfo)) return `MongoDB ${String(buildInfo.version)}`;
  let version = String(buildInfo.ferretdbVersion);
  if (version === 'unknown') {
    const mod = await readFile(resolve(ROOT, 'infra/ferretdb/go.mod'), 'utf8').catch(() => '');
    version = /FerretDB\/FerretDB (v\S+)/.exec(mod)?.[1] ?? version;
  }
  const cmdline = pid ? await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '') : '';
  const backend = cmdline.includes('--sqlite')
    ? 'SQLite'
    : cmdline.includes('--postgresql')
      ? 'PostgreSQL'
      : 'backend unknown';
  return `FerretDB ${version} (${backend} backend; MongoDB wire ${String(buildInfo.version)})`;
}

// ---- report ---------------------------------------------------------------------------------------------------

const cpuText = (cpu: Record<string, number> | undefined, keys: string[]) =>
  cpu ? keys.map((k) => fmt(cpu[k], 0)).join('/') : '–';

interface DecileLine {
  phase: string;
  share: number;
  t: number;
  api?: number;
  apiPeak?: number;
  relay?: number;
  bench?: number;
}

const decileRows = (lines: DecileLine[], run: string) =>
  lines.map((l) => [
    l.phase === 'upload sent' ? `${run}: upload, last byte sent` : `${run}: ${l.phase} ${l.share}% of rows`,
    fmt(l.t, 1),
    fmt(l.api),
    fmt(l.apiPeak),
    fmt(l.relay),
    fmt(l.bench),
  ]);

// The summary is assembled step by step; the renderer reads it loosely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function renderReport(s: Record<string, any>): string {
  const { config: c, import: im, reimport: re, direct: d, ratios: r, machine: m, file: f } = s;
  const out: string[] = [];
  out.push(`## Import benchmark ${s.startedAt} (${c.rows} rows)`);
  out.push('');
  out.push(
    `${m.cores} cores, ${fmt(m.memoryMiB / 1024)} GiB, load average at start ${m.loadAverageAtStart.map((l: number) => l.toFixed(2)).join(' ')},` +
      ` at the end ${m.loadAverageAtEnd.map((l: number) => l.toFixed(2)).join(' ')}; Node ${m.node}; ${m.server}; Kafka at ${m.kafka};` +
      ` API and relays from ${s.appsFrom}${s.staleBuild ? ` (NOTE: ${s.staleBuild})` : ''}; IMPORT_CONCURRENCY ${c.concurrency};` +
      ` topics of ${c.partitions} partitions.`,
  );
  out.push(
    `File: CSV, ${c.rows} rows (${c.pledges} pledges × pledge + target + 2 progress rows; ${f.events} events:` +
      ` ${c.pledges} PledgeSubmitted with terms and a target, ${2 * c.pledges} ProgressReported), ${c.organisations}` +
      ` organisations, effective dates 2015–2025; ${fmt(f.bytes / MIB)} MiB (${fmt(f.bytes / c.rows, 0)} B/row),` +
      ` generated in ${fmt(f.seconds)} s, streamed to disk (bench RSS ${fmt(f.benchRssBefore)} → ${fmt(f.benchRssAfter)} MiB).`,
  );
  out.push('');
  out.push('### Import through the API (importFile of ledger-cli; relay publishing meanwhile)');
  out.push('');
  out.push(
    markdownTable(
      ['phase', 'seconds', 'rows/s', 'events/s', 'CPU % api/relay/db/kafka/bench/other'],
      [
        [
          `upload + check (until POST answered; upload sent at ${fmt(im.uploadSentSeconds, 2)} s)`,
          fmt(im.uploadAndCheckSeconds, 2),
          fmt(im.checkRowsPerSecond, 0),
          '–',
          cpuText(im.cpu.check, ['api', 'relay', 'db', 'kafka', 'bench', 'other']),
        ],
        [
          'record (POST answered → status completed)',
          fmt(im.recordSeconds, 2),
          fmt(im.recordRowsPerSecond, 0),
          fmt(im.recordEventsPerSecond, 0),
          cpuText(im.cpu.record, ['api', 'relay', 'db', 'kafka', 'bench', 'other']),
        ],
        [
          'total (upload → completed)',
          fmt(im.totalSeconds, 2),
          fmt(im.rowsPerSecond, 0),
          fmt(im.eventsPerSecond, 0),
          '',
        ],
        [
          '… until every event is on the topic',
          fmt(im.publishedSeconds, 2),
          fmt(im.publishedSeconds ? c.rows / im.publishedSeconds : undefined, 0),
          fmt(im.publishedEventsPerSecond, 0),
          '',
        ],
        [
          're-import of the same file (nothing recorded)',
          fmt(re.seconds, 2),
          fmt(re.rowsPerSecond, 0),
          '–',
          cpuText(re.cpu, ['api', 'relay', 'db', 'kafka', 'bench', 'other']),
        ],
      ],
    ),
  );
  out.push('');
  out.push(
    `Server side (import's startedAt → finishedAt): ${fmt(im.serverSeconds, 2)} s; re-import ${fmt(re.serverSeconds, 2)} s.` +
      ` Status polled every ${c.pollMs} ms, so "completed" is seen up to that late. Import status: recorded` +
      ` ${im.status.recorded}, rows applied ${im.status.rowsApplied}, pledges ${im.status.pledges}; re-import: ${re.state},` +
      ` recorded ${re.recorded}, already recorded ${re.alreadyRecorded}.` +
      ` When the import was seen completed, ${im.onTopicAtCompletion} of its ${im.status.recorded} events were on the topic.`,
  );
  out.push('');
  out.push(`### Memory during the import (VmRSS sampled every ${c.sampleMs} ms, MiB)`);
  out.push('');
  out.push(
    markdownTable(
      ['point', 'at s', 'API RSS', 'API peak since previous point', 'relay RSS', 'bench RSS'],
      [...decileRows(im.deciles, 'import'), ...decileRows(re.deciles, 're-import')],
    ),
  );
  out.push('');
  out.push(
    `"at s": seconds from the start of that import's upload; a point is the first status (polled every ${c.pollMs} ms)` +
      ` showing that share of the rows read (check) or applied (record), with the last RSS sample before it.`,
  );
  out.push('');
  out.push(
    `API: RSS ${fmt(im.apiStartMiB)} MiB when the upload started, sampled peak ${fmt(im.apiPeakMiB)} MiB, VmHWM ${fmt(im.apiHwmMiB)} MiB after the` +
      ` import (${fmt(im.apiHwmBeforeMiB)} MiB before it), ${fmt(re.apiHwmMiB)} MiB after the re-import (its sampled peak ${fmt(re.apiPeakMiB)} MiB);` +
      ` relay peak ${fmt(im.relayPeakMiB)} MiB (VmHWM ${fmt(im.relayHwmMiB)}); this process (the client) ${fmt(im.benchStartMiB)} MiB at the start,` +
      ` peak ${fmt(im.benchPeakMiB)} MiB during the import for a ${fmt(f.bytes / MIB)} MiB file. API after both imports:` +
      ` RSS ${fmt(s.apiAtEnd.rss)} MiB, VmHWM ${fmt(s.apiAtEnd.hwm)} MiB. The event store keeps up to 20,000 stream heads with` +
      ` their folded state in memory (HEAD_CACHE_SIZE), so the API's RSS may grow with the pledges until that bound.`,
  );
  out.push('');
  out.push(
    `### Baseline: the same ${d.events} events appended directly (MongoEventStore.append, ${c.concurrency} pledges at once, fresh database, own relay)`,
  );
  out.push('');
  out.push(
    markdownTable(
      ['measure', 'value'],
      [
        ['appended in', `${fmt(d.appendSeconds, 2)} s`],
        ['events/s', fmt(d.eventsPerSecond, 0)],
        [
          `rows-equivalent/s (× ${fmt(c.rows / d.events, 3)} rows per event)`,
          fmt(d.rowsEquivalentPerSecond, 0),
        ],
        ['events on the topic when the appends ended', `${d.onTopicAtEnd} of ${d.events}`],
        [
          d.publishedSeconds !== undefined
            ? '… until every event is on the topic'
            : `… on the topic ${c.directDrainSeconds} s after the appends (BENCH_DIRECT_DRAIN_SECONDS)`,
          d.publishedSeconds !== undefined
            ? `${fmt(d.publishedSeconds, 2)} s`
            : `${d.onTopic} of ${d.events} at ${fmt(d.publishWindowSeconds, 2)} s`,
        ],
        [
          'relay publish rate (events on the topic ÷ seconds since the first append)',
          fmt(d.publishedEventsPerSecond, 0),
        ],
        [
          'CPU % while appending relay/db/kafka/bench/other',
          cpuText(d.cpu, ['relay', 'db', 'kafka', 'bench', 'other']),
        ],
        ['relay peak RSS / VmHWM', `${fmt(d.relayPeakMiB)} / ${fmt(d.relayHwmMiB)} MiB`],
        ['bench RSS peak (holds the events read back)', `${fmt(d.benchPeakMiB)} MiB`],
        ['events read back from the import (untimed)', `${fmt(s.readBack.seconds, 1)} s`],
      ],
    ),
  );
  out.push('');
  out.push('### Summary');
  out.push('');
  out.push(
    markdownTable(
      ['measure', 'import via API', 'direct append', 'import ÷ direct'],
      [
        [
          'rows/s, whole import (upload + check + record) vs rows-equivalent/s',
          fmt(im.rowsPerSecond, 0),
          fmt(d.rowsEquivalentPerSecond, 0),
          fmt(r.importOverallToDirect, 3),
        ],
        [
          'events/s, record phase only vs append',
          fmt(im.recordEventsPerSecond, 0),
          fmt(d.eventsPerSecond, 0),
          fmt(r.importRecordToDirect, 3),
        ],
        [
          'events on the topic when writing ended (import completed / appends ended)',
          `${im.onTopicAtCompletion} of ${c.pledges * 3}`,
          `${d.onTopicAtEnd} of ${d.events}`,
          '',
        ],
        [
          'relay publish rate, events/s (on the topic ÷ seconds since the first event was written: record start / first append)',
          fmt(im.relayEventsPerSecond, 0),
          fmt(d.publishedEventsPerSecond, 0),
          fmt(r.importRelayToDirectRelay, 3),
        ],
        ['re-import rows/s (nothing recorded)', fmt(re.rowsPerSecond, 0), '', ''],
        ['API peak RSS / VmHWM, MiB', `${fmt(im.apiPeakMiB)} / ${fmt(im.apiHwmMiB)}`, '', ''],
        ['client (bench) peak RSS during the import, MiB', fmt(im.benchPeakMiB), '', ''],
        ['machine', `${m.cores} cores, Node ${m.node}`, m.server, ''],
      ],
    ),
  );
  out.push('');
  out.push(
    `import ${c.rows} rows: ${fmt(im.rowsPerSecond, 0)} rows/s overall (${fmt(im.totalSeconds, 1)} s), record phase ${fmt(im.recordEventsPerSecond, 0)}` +
      ` events/s; direct append ${fmt(d.eventsPerSecond, 0)} events/s (${fmt(d.rowsEquivalentPerSecond, 0)} rows-eq/s); import ÷ direct` +
      ` ${fmt(r.importOverallToDirect, 3)} overall, ${fmt(r.importRecordToDirect, 3)} record phase; API peak RSS ${fmt(im.apiPeakMiB)} MiB` +
      ` (VmHWM ${fmt(im.apiHwmMiB)}); re-import ${fmt(re.rowsPerSecond, 0)} rows/s.`,
  );
  out.push(`Run took ${fmt(s.durationSeconds)} s.`);
  return out.join('\n');
}

runBenchmark(main, cleanUp, log);
