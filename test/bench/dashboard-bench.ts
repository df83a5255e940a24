/**
 * Dashboard benchmark: the first load of the public dashboard's overview (`/#/`) in headless Chromium with
 * BENCH_PLEDGES pledges in the read model. Prints figures only (no thresholds, no pass/fail), each next to a
 * baseline measured in the same run on the same servers:
 *
 *   - BENCH_LOADS cold loads of the overview, each in a new browser context (empty cache, 1280×900), after one
 *     warm-up load that is not counted: from navigation start to (a) the numbers on screen (the overview's root
 *     `[data-testid="page-overview"]` has `data-ready="true"`) and (b) every chart and the map drawn (every
 *     `.chart-box` has `data-rendered="true"`); Navigation Timing's domContentLoadedEventEnd; the bytes
 *     transferred (transferSize of the navigation and of every resource entry); the requests the page makes.
 *     (a) and (b) are `performance.now()` in the page (0 = the navigation's start, performance.timeOrigin),
 *     taken by a MutationObserver an init script installs before any of the page's scripts runs: the moment the
 *     DOM shows them (they are painted in the next frame). The same two points are also timed from Node
 *     (performance.now() around `page.goto` and the waits), which adds Playwright's round trips;
 *   - baselines: the API's own time for the overview's data (GET /reports/country from Node, sequentially,
 *     BENCH_LOADS times) and a blank page (a new context, `about:blank`, then `/health` of the same server);
 *   - the dashboard's JavaScript, raw and gzipped (level 9), and which chunks the overview downloads;
 *   - memory: the API process's RSS after the loads and its peak (VmHWM), and the benchmark's own.
 *
 *   npm run bench:dashboard   (ts-node -r tsconfig-paths/register --transpile-only test/bench/dashboard-bench.ts)
 *
 * The pledges are bulk-loaded as read-bench part 4 loads them (test/bench/support/summary-load: summary documents,
 * pledge index, report snapshots compiled by the projector's code) into databases of the run's own, dropped at
 * the end. The API runs from dist/ (built first if dist/apps/ledger-api or dist/apps/dashboard is missing) and
 * serves a copy of dist/apps/dashboard taken at the start (DASHBOARD_DIR), so that a rebuild during the run does
 * not change what is measured.
 *
 * Environment (all optional):
 *   KAFKA_BROKERS, MONGODB_URI      servers to use; else `infra/scripts/infra.sh up` (stopped at the end if started)
 *   BENCH_PLEDGES=100000            pledges in the read model
 *   BENCH_LOADS=15                  measured cold loads of the overview (and of the blank page, and API requests)
 *   BENCH_REPORTS_PER_PLEDGE=4      mean progress reports per pledge (0..2×)
 *   BENCH_PARTITIONS=6              partitions of the pledge index
 *   BENCH_INSERT_BATCH=1000         documents per insertMany
 *   BENCH_LOAD_TIMEOUT_SECONDS=1800 loading the pledges stops with an error after this long
 *   BENCH_PAGE_TIMEOUT_SECONDS=120  one page load stops with an error after this long
 *   CHROMIUM_PATH=/usr/bin/chromium (installed by infra/scripts/ensure-chromium.sh when absent)
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { MongoClient } from 'mongodb';
import type { Browser, BrowserContext } from 'playwright-core';
import { createKafka } from '@ledger/messaging/kafka-client';
import { stopApp } from '../support/app-process';
import { chromiumPath, launchChromium } from '../support/browser';
import {
  clientAgent,
  CpuWindow,
  envInt,
  fmt,
  httpRequest,
  infraServerPid,
  LatencySummary,
  machineAtStart,
  markdownTable,
  pidListeningOn,
  procStatusMiB,
  ROOT,
  staleBuild,
  summarise,
} from './bench-support';
import { launchApp } from './support/app-launch';
import { cleanUpOnSignals, CleanUps, runBenchmark, saveSummary, serversUp } from './support/lifecycle';
import { compileReportSnapshots, loadPledgeSummaries } from './support/summary-load';

const config = {
  pledges: envInt('BENCH_PLEDGES', 100_000),
  loads: Math.max(1, envInt('BENCH_LOADS', 15)),
  reportsPerPledge: envInt('BENCH_REPORTS_PER_PLEDGE', 4),
  partitions: Math.max(1, envInt('BENCH_PARTITIONS', 6)),
  insertBatch: Math.max(1, envInt('BENCH_INSERT_BATCH', 1000)),
  loadTimeoutSeconds: envInt('BENCH_LOAD_TIMEOUT_SECONDS', 1800),
  pageTimeoutSeconds: envInt('BENCH_PAGE_TIMEOUT_SECONDS', 120),
  viewport: { width: 1280, height: 900 },
};
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
const KIB = 1024;

function log(message: string): void {
  process.stdout.write(`[dashboard-bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

// ---- clean-up: everything the run starts or creates is undone here, last first ---------------------------

const cleanups = new CleanUps(log);
const cleanUp = () => cleanups.run();

// ---- build, browser, dashboard copy -------------------------------------------------------------------------

function ensureBuilt(): string[] {
  const built: string[] = [];
  if (!existsSync(resolve(ROOT, 'dist/apps/ledger-api/main.js'))) {
    log('dist/apps/ledger-api/main.js is missing: npx nest build ledger-api');
    execFileSync('npx', ['nest', 'build', 'ledger-api'], { cwd: ROOT, stdio: 'inherit' });
    built.push('ledger-api');
  }
  if (!existsSync(resolve(ROOT, 'dist/apps/dashboard/index.html'))) {
    log('dist/apps/dashboard/index.html is missing: npm run build:dashboard');
    execFileSync('npm', ['run', 'build:dashboard'], { cwd: ROOT, stdio: 'inherit' });
    built.push('dashboard');
  }
  return built;
}

function ensureChromium(): string {
  try {
    return chromiumPath();
  } catch {
    log('no Chromium: bash infra/scripts/ensure-chromium.sh');
    execFileSync('bash', [resolve(ROOT, 'infra/scripts/ensure-chromium.sh')], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    return chromiumPath();
  }
}

/**
 * A copy of the built dashboard for the API to serve during the run, once index.html and every asset it names
 * are there (a build running meanwhile empties the folder first).
 */
function copyDashboard(target: string): { entry: string; builtAt: string } {
  const source = resolve(ROOT, 'dist/apps/dashboard');
  for (let attempt = 1; ; attempt++) {
    rmSync(target, { recursive: true, force: true });
    cpSync(source, target, { recursive: true });
    const index = existsSync(join(target, 'index.html'))
      ? readFileSync(join(target, 'index.html'), 'utf8')
      : '';
    const named = [...index.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]);
    if (named.length && named.every((file) => existsSync(join(target, file)))) {
      return {
        entry: named.find((file) => file.endsWith('.js')) ?? named[0],
        builtAt: statSync(join(source, 'index.html')).mtime.toISOString(),
      };
    }
    if (attempt === 30)
      throw new Error(`${source} is not a complete build (index.html or its assets missing)`);
    execFileSync('sleep', ['2']);
  }
}

interface Chunk {
  file: string;
  raw: number;
  gzip: number;
  /** Size of the precompressed .br beside it (what Chromium is served), if there is one. */
  brotli?: number;
}

/** The built JavaScript under `dir`/assets, named by path from `dir` (as the page requests them). */
function javascriptChunks(dir: string): Chunk[] {
  const chunks: Chunk[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.js')) {
        const raw = readFileSync(path);
        chunks.push({
          file: path.slice(dir.length + 1),
          raw: raw.length,
          gzip: gzipSync(raw, { level: 9 }).length,
          brotli: existsSync(`${path}.br`) ? statSync(`${path}.br`).size : undefined,
        });
      }
    }
  };
  walk(join(dir, 'assets'));
  return chunks.sort((a, b) => b.raw - a.raw);
}

// ---- one page load ---------------------------------------------------------------------------------------

/**
 * Installed in every page before its own scripts: notes performance.now() when the overview's numbers are in the
 * DOM and when every chart box is drawn (the first mutation after which each holds).
 */
const MARKS_SCRIPT = `(() => {
  const marks = {};
  window.__benchMarks = marks;
  const observer = new MutationObserver(() => {
    if (marks.numbers === undefined &&
        document.querySelector('[data-testid="page-overview"][data-ready="true"]')) marks.numbers = performance.now();
    if (marks.numbers === undefined || marks.charts !== undefined) return;
    const boxes = document.querySelectorAll('.chart-box');
    if (boxes.length > 0 && Array.from(boxes).every((b) => b.getAttribute('data-rendered') === 'true')) {
      marks.charts = performance.now();
      marks.chartBoxes = boxes.length;
      observer.disconnect();
    }
  });
  observer.observe(document, {
    subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready', 'data-rendered'],
  });
})();`;

interface ResourceEntry {
  name: string;
  initiatorType: string;
  transferSize: number;
  decodedBodySize: number;
  startTime: number;
  duration: number;
}

interface PageTiming {
  marks: { numbers?: number; charts?: number; chartBoxes?: number };
  /** The overview's total of pledges, as the page shows it. */
  totalShown?: string;
  navigation: {
    responseStart: number;
    domContentLoadedEventEnd: number;
    loadEventEnd: number;
    transferSize: number;
  } | null;
  resources: ResourceEntry[];
}

/*
 * Run in the page (serialised by Playwright, which calls them through the DevTools protocol: the page's CSP allows
 * no string evaluation). The benchmark compiles without DOM types, so the page's globals are reached loosely.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
const marked = (mark: string): boolean => (globalThis as any).__benchMarks?.[mark] !== undefined;

/** What the page's Performance Timeline says about its load. */
function pageTiming(): PageTiming {
  const perf = (globalThis as any).performance;
  const nav = perf.getEntriesByType('navigation')[0];
  return {
    marks: (globalThis as any).__benchMarks ?? {},
    totalShown: (globalThis as any).document.querySelector('[data-testid="total-pledges"] .stat-value')
      ?.textContent,
    navigation: nav
      ? {
          responseStart: nav.responseStart,
          domContentLoadedEventEnd: nav.domContentLoadedEventEnd,
          loadEventEnd: nav.loadEventEnd,
          transferSize: nav.transferSize,
        }
      : null,
    resources: perf.getEntriesByType('resource').map((r: any) => ({
      name: r.name,
      initiatorType: r.initiatorType,
      transferSize: r.transferSize,
      decodedBodySize: r.decodedBodySize,
      startTime: r.startTime,
      duration: r.responseEnd - r.startTime,
    })),
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

interface LoadSample {
  contextMs: number;
  /** In the page: performance.now() at the marks. */
  numbersMs: number;
  chartsMs: number;
  chartBoxes: number;
  totalShown?: string;
  domContentLoadedMs: number;
  loadEventMs: number;
  /** From Node: performance.now() before page.goto to the wait's return. */
  wallNumbersMs: number;
  wallChartsMs: number;
  transferBytes: number;
  resources: ResourceEntry[];
  errors: string[];
}

const pathOf = (name: string) => {
  const u = new URL(name);
  return u.pathname + u.search;
};

async function newContext(browser: Browser): Promise<{ context: BrowserContext; ms: number }> {
  const started = performance.now();
  const context = await browser.newContext({ viewport: config.viewport, serviceWorkers: 'block' });
  return { context, ms: performance.now() - started };
}

async function loadOverview(browser: Browser, url: URL): Promise<LoadSample> {
  const { context, ms: contextMs } = await newContext(browser);
  try {
    await context.addInitScript(MARKS_SCRIPT);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
    // Failed responses are noted with their URL (the console's own line for them names none).
    page.on(
      'response',
      (r) => void (r.status() >= 400 && errors.push(`HTTP ${r.status()} ${pathOf(r.url())}`)),
    );
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
        errors.push(`console: ${m.text()}`);
    });
    page.on('requestfailed', (r) => {
      // The live feed's EventSource is cut when the context closes; anything else is worth a note.
      if (!r.url().includes('/events/live'))
        errors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
    });
    await page.goto('about:blank');
    const timeout = config.pageTimeoutSeconds * 1000;
    const started = performance.now();
    await page.goto(new URL('/#/', url).href, { waitUntil: 'commit', timeout });
    await page.waitForFunction(marked, 'numbers', { timeout });
    const wallNumbersMs = performance.now() - started;
    await page.waitForFunction(marked, 'charts', { timeout });
    const wallChartsMs = performance.now() - started;
    await page.waitForLoadState('load', { timeout });
    const timing = await page.evaluate(pageTiming);
    const nav = timing.navigation;
    return {
      contextMs,
      numbersMs: timing.marks.numbers!,
      chartsMs: timing.marks.charts!,
      chartBoxes: timing.marks.chartBoxes ?? 0,
      totalShown: timing.totalShown,
      domContentLoadedMs: nav?.domContentLoadedEventEnd ?? NaN,
      loadEventMs: nav?.loadEventEnd ?? NaN,
      wallNumbersMs,
      wallChartsMs,
      transferBytes: (nav?.transferSize ?? 0) + timing.resources.reduce((n, r) => n + r.transferSize, 0),
      resources: timing.resources,
      errors,
    };
  } finally {
    await context.close();
  }
}

async function loadBlank(browser: Browser, url: URL) {
  const { context, ms: contextMs } = await newContext(browser);
  try {
    const page = await context.newPage();
    await page.goto('about:blank');
    const started = performance.now();
    const answer = await page.goto(new URL('/health', url).href, {
      waitUntil: 'load',
      timeout: config.pageTimeoutSeconds * 1000,
    });
    const wallMs = performance.now() - started;
    const timing = await page.evaluate(pageTiming);
    return {
      contextMs,
      wallMs,
      loadEventMs: timing.navigation?.loadEventEnd ?? NaN,
      status: answer?.status(),
    };
  } finally {
    await context.close();
  }
}

// ---- main ------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const startedAt = Date.now();
  cleanUpOnSignals(cleanUp, log);

  const infra = serversUp(cleanups, log);
  log(`servers (${infra.source}): KAFKA_BROKERS=${infra.kafkaBrokers} MONGODB_URI=${infra.mongoUri}`);
  process.env.MONGODB_URI = infra.mongoUri;
  process.env.KAFKA_BROKERS = infra.kafkaBrokers;
  const { uniqueName } = await import('@ledger/testing');
  const dbName = uniqueName('dbench');
  const readDbName = `${dbName}_read`;
  const topic = `${dbName}_events`;

  const built = ensureBuilt();
  const stale = staleBuild(['ledger-api']);
  if (stale) log(`NOTE: ${stale}: the API measured is that build`);
  const chromium = ensureChromium();
  const dashboardDir = resolve(os.tmpdir(), `${dbName}_dashboard`);
  cleanups.push({
    name: 'dashboard copy',
    run: () => rmSync(dashboardDir, { recursive: true, force: true }),
  });
  const dashboard = copyDashboard(dashboardDir);
  log(`dashboard build of ${dashboard.builtAt} (${dashboard.entry}) copied to ${dashboardDir}`);

  const mongo = await new MongoClient(infra.mongoUri, {
    serverSelectionTimeoutMS: 5000,
    appName: dbName,
  }).connect();
  cleanups.push({ name: 'mongo client', run: () => mongo.close() });
  cleanups.push({
    name: 'drop databases',
    run: async () => {
      await Promise.all([dbName, readDbName].map((name) => mongo.db(name).dropDatabase()));
      log(`dropped databases ${dbName}, ${readDbName}`);
    },
  });
  const buildInfo = await mongo.db('admin').command({ buildInfo: 1 });
  const server =
    'ferretdbVersion' in buildInfo
      ? `FerretDB ${buildInfo.ferretdbVersion} (MongoDB wire ${buildInfo.version})`
      : `MongoDB ${buildInfo.version}`;
  log(`database server: ${server}; configuration ${JSON.stringify(config)}`);
  const mongoPort = Number(new URL(infra.mongoUri).port || 27017);
  const dbPid = infraServerPid('mongo', mongoPort) ?? pidListeningOn(mongoPort);

  // ---- the read model: BENCH_PLEDGES pledges and their report snapshots -----------------------------------
  const loadStarted = Date.now();
  const readDb = mongo.db(readDbName);
  const { name: generation, load } = await loadPledgeSummaries(readDb, {
    pledges: config.pledges,
    reportsPerPledge: config.reportsPerPledge,
    partitions: config.partitions,
    insertBatch: config.insertBatch,
    timeoutMs: config.loadTimeoutSeconds * 1000,
    stamp,
    log,
  });
  const { compile } = await compileReportSnapshots(readDb, generation, log);
  const setupSeconds = (Date.now() - loadStarted) / 1000;

  // ---- the API ----------------------------------------------------------------------------------------------
  const api = await launchApp(
    'ledger-api',
    {
      NODE_ENV: 'production',
      MONGODB_URI: infra.mongoUri,
      MONGODB_DB: dbName,
      MONGODB_READ_DB: readDbName,
      KAFKA_BROKERS: infra.kafkaBrokers,
      PLEDGE_EVENTS_TOPIC: topic,
      DEAD_LETTER_TOPIC: `${topic}.dead-letter`,
      PLEDGE_EVENTS_PARTITIONS: String(config.partitions),
      ADMIN_API_KEY: `bench_admin_${randomBytes(24).toString('base64url')}`,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      LOG_LEVEL: 'warn',
      RELAY_IN_PROCESS: 'false',
      DASHBOARD_DIR: dashboardDir,
    },
    (child) => cleanups.push({ name: 'ledger API', run: () => stopApp(child) }),
  );
  const apiPid = api.child.pid!;
  log(`ledger API up at ${api.url.origin} in ${api.startupMs} ms (pid ${apiPid})`);
  const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: dbName, logLevel: 'error' });
  cleanups.push({
    name: 'topics',
    run: async () => {
      // The API creates none; removed in case anything did.
      const admin = kafka.admin();
      await admin.connect();
      try {
        const mine = (await admin.listTopics()).filter((t) => t.startsWith(topic));
        if (mine.length) await admin.deleteTopics({ topics: mine, timeout: 30_000 });
      } finally {
        await admin.disconnect();
      }
    },
  });

  const agent = clientAgent();
  cleanups.push({ name: 'http agent', run: () => agent.destroy() });
  const first = await httpRequest(api.url, 'GET', '/reports/country', { agent, timeoutMs: 300_000 });
  const report = JSON.parse(first.body) as { source?: string; totals?: { pledges?: number } };
  if (first.status !== 200 || report.totals?.pledges !== config.pledges) {
    throw new Error(
      `GET /reports/country: ${first.status}, ${report.totals?.pledges} pledges (expected ${config.pledges})`,
    );
  }
  log(`GET /reports/country answers from the ${report.source} (${fmt(first.body.length / KIB)} KiB)`);

  // ---- the browser ----------------------------------------------------------------------------------------------
  const browser = await launchChromium();
  cleanups.push({ name: 'browser', run: () => browser.close() });
  const chromiumVersion = browser.version();
  log(`Chromium ${chromiumVersion} (${chromium}), headless; warm-up load`);
  const warmup = await loadOverview(browser, api.url);
  log(
    `warm-up: numbers ${fmt(warmup.numbersMs, 0)} ms, charts ${fmt(warmup.chartsMs, 0)} ms` +
      ` (${warmup.chartBoxes} chart boxes), ${fmt(warmup.transferBytes / KIB)} KiB; the page shows` +
      ` ${warmup.totalShown} pledges`,
  );
  const loads: LoadSample[] = [];
  const blanks: Awaited<ReturnType<typeof loadBlank>>[] = [];
  const cpu = new CpuWindow({ api: apiPid, db: dbPid });
  for (let i = 1; i <= config.loads; i++) {
    // Overview and blank page in turn, so that both see the same background.
    const sample = await loadOverview(browser, api.url);
    loads.push(sample);
    blanks.push(await loadBlank(browser, api.url));
    log(
      `load ${i}/${config.loads}: numbers ${fmt(sample.numbersMs, 0)} ms, charts ${fmt(sample.chartsMs, 0)} ms,` +
        ` DCL ${fmt(sample.domContentLoadedMs, 0)} ms, ${fmt(sample.transferBytes / KIB)} KiB` +
        ` (wall ${fmt(sample.wallNumbersMs, 0)}/${fmt(sample.wallChartsMs, 0)} ms);` +
        ` blank page ${fmt(blanks[blanks.length - 1].wallMs, 0)} ms` +
        (sample.errors.length ? `; ${sample.errors.length} errors: ${sample.errors.join(' | ')}` : ''),
    );
  }
  const cpuDuringLoads = cpu.end();

  // ---- baseline: the API's own time for the overview's data -------------------------------------------------
  const apiLatencies: number[] = [];
  const sources: Record<string, number> = {};
  for (let i = 0; i < config.loads; i++) {
    const started = performance.now();
    const answer = await httpRequest(api.url, 'GET', '/reports/country', { agent, timeoutMs: 300_000 });
    apiLatencies.push(performance.now() - started);
    const key =
      answer.status === 200
        ? String((JSON.parse(answer.body) as { source?: string }).source)
        : `HTTP ${answer.status}`;
    sources[key] = (sources[key] ?? 0) + 1;
  }

  // ---- memory ---------------------------------------------------------------------------------------------------
  const memory = {
    apiRssMiB: procStatusMiB(apiPid, 'VmRSS'),
    apiVmHwmMiB: procStatusMiB(apiPid, 'VmHWM'),
    benchRssMiB: procStatusMiB(process.pid, 'VmRSS'),
    benchVmHwmMiB: procStatusMiB(process.pid, 'VmHWM'),
  };

  // ---- what the overview downloads ------------------------------------------------------------------------------
  const chunks = javascriptChunks(dashboardDir);
  const requests = new Map<
    string,
    { initiator: string; transfer: number[]; start: number[]; duration: number[]; decoded: number }
  >();
  for (const sample of loads)
    for (const r of sample.resources) {
      const path = pathOf(r.name);
      const entry = requests.get(path) ?? {
        initiator: r.initiatorType,
        transfer: [],
        start: [],
        duration: [],
        decoded: 0,
      };
      entry.transfer.push(r.transferSize);
      entry.start.push(r.startTime);
      entry.duration.push(r.duration);
      entry.decoded = r.decodedBodySize;
      requests.set(path, entry);
    }
  const downloaded = new Set([...requests.keys()].map((p) => p.replace(/^\//, '')));
  const js = chunks.reduce((n, c) => ({ raw: n.raw + c.raw, gzip: n.gzip + c.gzip }), { raw: 0, gzip: 0 });
  const overviewJs = chunks
    .filter((c) => downloaded.has(c.file))
    .reduce((n, c) => ({ raw: n.raw + c.raw, gzip: n.gzip + c.gzip }), { raw: 0, gzip: 0 });

  const summary = {
    startedAt: new Date(startedAt).toISOString(),
    config,
    machine: {
      ...machineAtStart(),
      /** Measured after the loads. */
      loadAverageAfterLoads: os.loadavg(),
      chromium: chromiumVersion,
    },
    servers: {
      database: server,
      mongoUri: infra.mongoUri,
      kafkaBrokers: infra.kafkaBrokers,
      source: infra.source,
    },
    built,
    dashboard,
    readModel: { load, compile, setupSeconds },
    apiStartupMs: api.startupMs,
    warmup: { numbersMs: warmup.numbersMs, chartsMs: warmup.chartsMs, errors: warmup.errors },
    overview: {
      numbers: summarise(loads.map((l) => l.numbersMs)),
      charts: summarise(loads.map((l) => l.chartsMs)),
      chartBoxes: loads[0].chartBoxes,
      totalsShown: [...new Set(loads.map((l) => l.totalShown))],
      domContentLoaded: summarise(loads.map((l) => l.domContentLoadedMs)),
      loadEvent: summarise(loads.map((l) => l.loadEventMs)),
      wallNumbers: summarise(loads.map((l) => l.wallNumbersMs)),
      wallCharts: summarise(loads.map((l) => l.wallChartsMs)),
      transferBytes: summarise(loads.map((l) => l.transferBytes)),
      context: summarise(loads.map((l) => l.contextMs)),
      /** Each distinct error of the measured loads, with how many loads had it. */
      errors: loads
        .flatMap((l) => [...new Set(l.errors)])
        .reduce<Record<string, number>>((byError, e) => ({ ...byError, [e]: (byError[e] ?? 0) + 1 }), {}),
      requests: [...requests].map(([path, r]) => ({
        path,
        initiator: r.initiator,
        count: r.duration.length,
        transfer: summarise(r.transfer),
        decodedBytes: r.decoded,
        start: summarise(r.start),
        duration: summarise(r.duration),
      })),
    },
    blank: {
      wall: summarise(blanks.map((b) => b.wallMs)),
      loadEvent: summarise(blanks.map((b) => b.loadEventMs)),
      context: summarise(blanks.map((b) => b.contextMs)),
      statuses: [...new Set(blanks.map((b) => b.status))],
    },
    api: { latency: summarise(apiLatencies), responseBytes: first.body.length, sources },
    cpuDuringLoads,
    javascript: { chunks, total: js, overview: overviewJs },
    memory,
    durationSeconds: 0,
  };
  await cleanUp();
  summary.durationSeconds = (Date.now() - startedAt) / 1000;
  process.stdout.write(`\n${renderReport(summary)}\n`);
  log(`summary written to ${saveSummary(`dashboard-${stamp}`, summary)}`);
}

// ---- report ---------------------------------------------------------------------------------------------------

const kib = (bytes: number) => fmt(bytes / KIB);
const latencyTable = (rows: string[][]) => markdownTable(['measure', 'p50', 'p99', 'max'], rows);
const row = (name: string, l: LatencySummary, unit = (v: number) => fmt(v, 0)) => [
  name,
  unit(l.p50),
  unit(l.p99),
  unit(l.max),
];

// The summary is assembled step by step; the renderer reads it loosely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function renderReport(s: Record<string, any>): string {
  const o = s.overview;
  const m = s.machine;
  const n = s.config.loads;
  const pledges = s.readModel.load.documents;
  const out: string[] = [];
  out.push(`## Dashboard benchmark ${s.startedAt}`);
  out.push('');
  out.push(
    `${m.cpus} CPUs, ${fmt(m.memoryMiB / 1024)} GiB, load average at start ${m.loadAverageAtStart.map((l: number) => l.toFixed(2)).join(' ')},` +
      ` after the loads ${m.loadAverageAfterLoads.map((l: number) => l.toFixed(2)).join(' ')};` +
      ` Node ${m.node}; Chromium ${m.chromium} headless, ${s.config.viewport.width}×${s.config.viewport.height};` +
      ` API from dist/apps/ledger-api${s.built.length ? ` (built by this run: ${s.built.join(', ')})` : ''};` +
      ` dashboard build of ${s.dashboard.builtAt} (${s.dashboard.entry}). Servers: ${s.servers.database} at` +
      ` ${s.servers.mongoUri}, Kafka at ${s.servers.kafkaBrokers} (${s.servers.source}).`,
  );
  out.push(
    `Read model: ${pledges} pledges by insertMany in ${fmt(s.readModel.load.insertSeconds, 1)} s` +
      ` (${fmt(s.readModel.load.insertPerSecond)} docs/s), pledge index ${fmt(s.readModel.load.indexSeconds, 1)} s,` +
      ` report snapshots compiled in ${fmt(s.readModel.compile.seconds, 1)} s (by-country snapshot` +
      ` ${kib(s.readModel.compile.snapshotBsonBytes)} KiB); ${fmt(s.readModel.setupSeconds, 1)} s in all.` +
      ` API started in ${s.apiStartupMs} ms.`,
  );
  out.push('');
  out.push(
    `### First load of the overview (/#/) with ${pledges} pledges: ${n} cold loads, each in a new browser context` +
      ` (empty cache), after 1 warm-up load`,
  );
  out.push('');
  out.push(
    latencyTable([
      row('numbers on screen (data-ready="true"), ms, in the page from navigation start', o.numbers),
      row(`charts and map drawn (all ${o.chartBoxes} .chart-box data-rendered), ms, in the page`, o.charts),
      row('DOMContentLoaded (Navigation Timing domContentLoadedEventEnd), ms', o.domContentLoaded),
      row('load event (loadEventEnd), ms', o.loadEvent),
      row('numbers on screen, ms, from Node (before page.goto → wait returns)', o.wallNumbers),
      row('charts drawn, ms, from Node', o.wallCharts),
      row('bytes transferred, KiB (navigation + resources, transferSize)', o.transferBytes, kib),
    ]),
  );
  out.push('');
  out.push(
    `In-page times are performance.now() (0 = the navigation's start) at the DOM mutation that completes each` +
      ` (a MutationObserver installed before the page's scripts; the frame is painted after it). p99 is by nearest` +
      ` rank: of ${n} loads, the slowest${n >= 100 ? ' but one in a hundred' : ''}. Total of pledges the page` +
      ` showed: ${o.totalsShown.join(', ')}. Errors in the page (loads with it):` +
      ` ${
        Object.entries(o.errors)
          .map(([e, count]) => `${e} (${count})`)
          .join('; ') || 'none'
      }${'HTTP 503 /log/checkpoint' in o.errors ? " (503: the run's log is empty, no checkpoint yet)" : ''}.`,
  );
  out.push('');
  out.push('### Baselines, same run');
  out.push('');
  out.push(
    latencyTable([
      row(
        `API: GET /reports/country from Node, ${n} sequential requests (keep-alive), ms; ${kib(s.api.responseBytes)} KiB,` +
          ` source ${Object.entries(s.api.sources)
            .map(([k, v]) => `${k}×${v}`)
            .join(' ')}`,
        s.api.latency,
      ),
      row('blank page: /health in a new context (after about:blank), ms from Node to its load', s.blank.wall),
      row('blank page: loadEventEnd in the page, ms', s.blank.loadEvent),
      row('new browser context (newContext), ms', o.context),
    ]),
  );
  out.push('');
  out.push(
    '### Requests of one overview load (Resource Timing over the loads; starts at = startTime from navigation start)',
  );
  out.push('');
  out.push(
    markdownTable(
      [
        'request',
        'initiator',
        'per load',
        'transfer KiB',
        'decoded KiB',
        'starts at p50 ms',
        'duration p50 ms',
        'p99 ms',
        'max ms',
      ],
      o.requests.map(
        (r: {
          path: string;
          initiator: string;
          count: number;
          transfer: LatencySummary;
          decodedBytes: number;
          start: LatencySummary;
          duration: LatencySummary;
        }) => [
          r.path,
          r.initiator,
          fmt(r.count / n, 0),
          kib(r.transfer.p50),
          kib(r.decodedBytes),
          fmt(r.start.p50, 0),
          fmt(r.duration.p50, 0),
          fmt(r.duration.p99, 0),
          fmt(r.duration.max, 0),
        ],
      ),
    ),
  );
  out.push('');
  out.push('### JavaScript of the dashboard (dist/apps/dashboard/assets/*.js; gzip level 9)');
  out.push('');
  const downloaded = new Set(o.requests.map((r: { path: string }) => r.path.replace(/^\//, '')));
  out.push(
    markdownTable(
      ['chunk', 'raw KiB', 'gzip KiB', 'brotli KiB (served)', 'downloaded by the overview'],
      [
        ...s.javascript.chunks.map((c: Chunk) => [
          c.file,
          kib(c.raw),
          kib(c.gzip),
          c.brotli === undefined ? '–' : kib(c.brotli),
          downloaded.has(c.file) ? 'yes' : 'no',
        ]),
        ['all', kib(s.javascript.total.raw), kib(s.javascript.total.gzip), '', ''],
        [
          'downloaded by the overview',
          kib(s.javascript.overview.raw),
          kib(s.javascript.overview.gzip),
          '',
          '',
        ],
      ],
    ),
  );
  out.push('');
  out.push(
    `Memory: API RSS after the loads ${fmt(s.memory.apiRssMiB)} MiB, peak (VmHWM) ${fmt(s.memory.apiVmHwmMiB)} MiB;` +
      ` benchmark RSS ${fmt(s.memory.benchRssMiB)} MiB, peak ${fmt(s.memory.benchVmHwmMiB)} MiB (it compiled the` +
      ` snapshots). CPU % during the browser loads (100% = one core) api/db/bench/other (Chromium and whatever else runs):` +
      ` ${['api', 'db', 'bench', 'other'].map((k) => fmt(s.cpuDuringLoads[k], 0)).join('/')}.`,
  );
  out.push('');
  out.push(
    `overview first load (${pledges} pledges): numbers p50 ${fmt(o.numbers.p50, 0)} ms p99 ${fmt(o.numbers.p99, 0)} ms;` +
      ` charts drawn p50 ${fmt(o.charts.p50, 0)} p99 ${fmt(o.charts.p99, 0)} ms; DCL p50 ${fmt(o.domContentLoaded.p50, 0)} ms;` +
      ` ${kib(o.transferBytes.p50)} KiB transferred; API GET /reports/country p50 ${fmt(s.api.latency.p50, 1)}` +
      ` p99 ${fmt(s.api.latency.p99, 1)} ms; blank page p50 ${fmt(s.blank.wall.p50, 0)} ms;` +
      ` JS ${kib(s.javascript.total.gzip)} KiB gzip (overview ${kib(s.javascript.overview.gzip)} KiB)`,
  );
  out.push(`Run took ${fmt(s.durationSeconds)} s.`);
  return out.join('\n');
}

runBenchmark(main, cleanUp, log);
