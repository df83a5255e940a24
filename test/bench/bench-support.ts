/* Small helpers for the write-side benchmark: load loops, latency percentiles, /proc sampling, tables. */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ---- environment -------------------------------------------------------------------------------------

export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`${name} must be a non-negative number, got ${raw}`);
  return value;
}

export function envList(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  if (!raw) return fallback;
  const values = raw.split(',').map((v) => Number(v.trim()));
  if (values.some((v) => !Number.isInteger(v) || v < 1)) {
    throw new Error(`${name} must be a comma-separated list of positive integers, got ${raw}`);
  }
  return values;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

// ---- infrastructure ------------------------------------------------------------------------------------

export interface Infra {
  kafkaBrokers: string;
  mongoUri: string;
  source: 'env' | 'infra.sh';
  /** Which servers this run started (and so must stop). */
  started: { kafka: boolean; mongo: boolean };
}

function scriptStatus(script: 'kafka.sh' | 'mongo.sh'): boolean {
  try {
    execFileSync('bash', [resolve(ROOT, 'infra/scripts', script), 'status'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * KAFKA_BROKERS/MONGODB_URI from the environment, else `infra.sh up`. infra.sh reports one flag for both
 * servers; we also note which of the two was already running so that the end of the run stops only what it
 * started (a Kafka broker another session uses keeps running).
 */
export function infraUp(): Infra {
  const kafkaBrokers = process.env.KAFKA_BROKERS;
  const mongoUri = process.env.MONGODB_URI;
  if (kafkaBrokers && mongoUri) {
    return { kafkaBrokers, mongoUri, source: 'env', started: { kafka: false, mongo: false } };
  }
  const kafkaWasUp = scriptStatus('kafka.sh');
  const mongoWasUp = scriptStatus('mongo.sh');
  const output = execFileSync('bash', [resolve(ROOT, 'infra/scripts/infra.sh'), 'up'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 600_000,
  });
  const vars: Record<string, string> = {};
  for (const line of output.split('\n')) {
    const match = /^(KAFKA_BROKERS|MONGODB_URI|LEDGER_INFRA_STARTED)=(.*)$/.exec(line.trim());
    if (match) vars[match[1]] = match[2];
  }
  if (!vars.KAFKA_BROKERS || !vars.MONGODB_URI) throw new Error(`infra.sh up printed no servers:\n${output}`);
  const startedAny = vars.LEDGER_INFRA_STARTED === 'yes';
  return {
    kafkaBrokers: kafkaBrokers ?? vars.KAFKA_BROKERS,
    mongoUri: mongoUri ?? vars.MONGODB_URI,
    source: 'infra.sh',
    started: { kafka: startedAny && !kafkaWasUp, mongo: startedAny && !mongoWasUp },
  };
}

export function infraDown(infra: Infra): string[] {
  const stopped: string[] = [];
  if (infra.started.kafka && infra.started.mongo) {
    execFileSync('bash', [resolve(ROOT, 'infra/scripts/infra.sh'), 'down'], { stdio: 'inherit' });
    return ['kafka', 'mongo'];
  }
  for (const [name, script] of [
    ['kafka', 'kafka.sh'],
    ['mongo', 'mongo.sh'],
  ] as const) {
    if (!infra.started[name]) continue;
    execFileSync('bash', [resolve(ROOT, 'infra/scripts', script), 'stop'], { stdio: 'inherit' });
    stopped.push(name);
  }
  return stopped;
}

/**
 * The pid of the process listening on 127.0.0.1:<port> (for CPU figures): the socket's inode from
 * /proc/net/tcp*, then the process holding it. Undefined if it cannot be seen (another user's process).
 */
export function pidListeningOn(port: number): number | undefined {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // cols[1] local address (hex ip:port), cols[3] state (0A = LISTEN), cols[9] inode
      if (cols.length > 9 && cols[3] === '0A' && parseInt(cols[1].split(':')[1], 16) === port)
        inodes.add(cols[9]);
    }
  }
  if (inodes.size === 0) return undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${entry}/fd/${fd}`));
        if (match && inodes.has(match[1])) return Number(entry);
      } catch {
        // fd closed meanwhile
      }
    }
  }
  return undefined;
}

function newestSourceMtime(dir: string): number {
  let newest = 0;
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = resolve(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMtime(path));
    else if (entry.name.endsWith('.ts') && !/\.(int-|e2e-)?spec\.ts$/.test(entry.name)) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

/**
 * Whether test/support/app-process would start these apps from a dist/ build older than their sources (apps/
 * and libs/): a benchmark of such a build measures code that is no longer there.
 */
export function staleBuild(apps: string[]): string | undefined {
  const libs = newestSourceMtime(resolve(ROOT, 'libs'));
  for (const app of apps) {
    const built = resolve(ROOT, 'dist/apps', app, 'main.js');
    if (!existsSync(built)) continue;
    const source = Math.max(libs, newestSourceMtime(resolve(ROOT, 'apps', app, 'src')));
    if (statSync(built).mtimeMs < source) return `dist/apps/${app}/main.js is older than its sources`;
  }
  return undefined;
}

/** The pid of a server the infra scripts run on this port (for CPU figures), if it is one of theirs. */
export function infraServerPid(kind: 'kafka' | 'mongo', port: number): number | undefined {
  const dir = resolve(ROOT, '.infra', kind);
  const pidFile = resolve(dir, kind === 'kafka' ? 'kafka.pid' : 'pid');
  const portFile = resolve(dir, 'port');
  try {
    if (!existsSync(pidFile) || !existsSync(portFile)) return undefined;
    if (Number(readFileSync(portFile, 'utf8').trim()) !== port) return undefined;
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    return existsSync(`/proc/${pid}`) ? pid : undefined;
  } catch {
    return undefined;
  }
}

// ---- /proc sampling --------------------------------------------------------------------------------------

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** A VmRSS/VmHWM-style field of /proc/<pid>/status, in MiB; undefined once the process is gone. */
export function procStatusMiB(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) a process has used so far. */
export function procCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): utime is field 14, stime field 15.
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return undefined;
  }
}

/** Busy and total jiffies of the whole machine (all cores). */
export function machineCpu(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = values[3] + (values[4] ?? 0);
  const total = values.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

export function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Samples VmRSS of named processes every `intervalMs`; keeps the peak of each over the run and per window. */
export class RssSampler {
  private readonly pids = new Map<string, number>();
  private readonly peakMiB = new Map<string, number>();
  private windowPeak = new Map<string, number>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly intervalMs = 100) {}

  track(name: string, pid: number): void {
    this.pids.set(name, pid);
    this.sample();
  }

  untrack(name: string): void {
    this.sample();
    this.pids.delete(name);
  }

  start(): void {
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Starts a new window; returns the peaks of the window that ends. */
  resetWindow(): Record<string, number> {
    this.sample();
    const peaks = Object.fromEntries(this.windowPeak);
    this.windowPeak = new Map();
    return peaks;
  }

  peak(name: string): number | undefined {
    return this.peakMiB.get(name);
  }

  private sample(): void {
    for (const [name, pid] of this.pids) {
      const rss = procStatusMiB(pid, 'VmRSS');
      if (rss === undefined) continue;
      this.peakMiB.set(name, Math.max(this.peakMiB.get(name) ?? 0, rss));
      this.windowPeak.set(name, Math.max(this.windowPeak.get(name) ?? 0, rss));
    }
  }
}

/** CPU use of named processes (and of the whole machine) between two points in time, in % of one core. */
export class CpuWindow {
  private readonly startCpu = new Map<string, number>();
  private readonly startMachine = machineCpu();
  private readonly startSelf = process.cpuUsage();
  private readonly startedAt = process.hrtime.bigint();

  constructor(private readonly pids: Record<string, number | undefined>) {
    for (const [name, pid] of Object.entries(pids)) {
      const cpu = pid === undefined ? undefined : procCpuSeconds(pid);
      if (cpu !== undefined) this.startCpu.set(name, cpu);
    }
  }

  end(): Record<string, number> {
    const seconds = Number(process.hrtime.bigint() - this.startedAt) / 1e9;
    const result: Record<string, number> = {};
    for (const [name, pid] of Object.entries(this.pids)) {
      const before = this.startCpu.get(name);
      const after = pid === undefined ? undefined : procCpuSeconds(pid);
      if (before !== undefined && after !== undefined) result[name] = ((after - before) / seconds) * 100;
    }
    const self = process.cpuUsage(this.startSelf);
    result.bench = ((self.user + self.system) / 1e6 / seconds) * 100;
    const machine = machineCpu();
    const total = machine.total - this.startMachine.total;
    // Whole machine, scaled so that 100% is one core (like the per-process figures).
    result.machine = total > 0 ? ((machine.busy - this.startMachine.busy) / total) * 100 * cpuCount() : 0;
    const known = Object.entries(result).reduce((sum, [k, v]) => (k === 'machine' ? sum : sum + v), 0);
    result.other = Math.max(0, result.machine - known);
    return result;
  }
}

export function cpuCount(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/** The machine a run measures on, as it is when the run starts. */
export function machineAtStart() {
  return {
    cpus: cpuCount(),
    memoryMiB: Math.round(os.totalmem() / 2 ** 20),
    loadAverageAtStart: os.loadavg(),
    node: process.version,
  };
}

// ---- latency ---------------------------------------------------------------------------------------------

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles over every recorded latency (ms); nothing is bucketed or sampled. */
export function summarise(latencies: number[]): LatencySummary {
  if (latencies.length === 0) return { count: 0, mean: NaN, p50: NaN, p95: NaN, p99: NaN, max: NaN };
  const sorted = Float64Array.from(latencies).sort();
  const rank = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    count: sorted.length,
    mean: sum / sorted.length,
    p50: rank(0.5),
    p95: rank(0.95),
    p99: rank(0.99),
    max: sorted[sorted.length - 1],
  };
}

// ---- closed-loop load ------------------------------------------------------------------------------------

export interface LoadResult {
  concurrency: number;
  /** Length of the measured window, seconds. */
  seconds: number;
  /** Operations by outcome (an HTTP status, "ok", or "error:<code>"), of those that ended after the window opened. */
  outcomes: Record<string, number>;
  /** Latency of successful operations that ended after the window opened (including those still running at its end). */
  latency: LatencySummary;
  /** The same for every operation, whatever its outcome. */
  latencyAll: LatencySummary;
  /** Successful operations completed inside the window, per second. */
  successPerSecond: number;
  /** Operations still running when the window closed (their latency is counted, not their completion). */
  inFlightAtEnd: number;
  /** One example of each failure outcome (truncated), for the report. */
  failureSamples: Record<string, string>;
}

export interface Outcome {
  outcome: string;
  success: boolean;
  detail?: string;
}

/**
 * N clients in a closed loop: each sends its next operation as soon as the previous one answered, for
 * `warmupMs` and then `measureMs`. Throughput counts the operations that complete inside the measured
 * window; latency (hrtime around each operation: service time, no coordinated-omission correction) covers
 * every operation that completes after the window opened, including those still running when it closes,
 * so slow answers are never dropped from the percentiles.
 */
export async function closedLoop(options: {
  concurrency: number;
  warmupMs: number;
  measureMs: number;
  op: (client: number, seq: number) => Promise<Outcome>;
}): Promise<LoadResult> {
  const { concurrency, warmupMs, measureMs, op } = options;
  const begin = process.hrtime.bigint();
  const measureStart = begin + BigInt(Math.round(warmupMs * 1e6));
  const measureEnd = measureStart + BigInt(Math.round(measureMs * 1e6));
  const success: number[] = [];
  const all: number[] = [];
  const outcomes: Record<string, number> = {};
  const failureSamples: Record<string, string> = {};
  let completedInWindow = 0;
  let inFlightAtEnd = 0;

  async function client(index: number): Promise<void> {
    for (let seq = 0; ; seq++) {
      const started = process.hrtime.bigint();
      if (started >= measureEnd) return;
      let result: Outcome;
      try {
        result = await op(index, seq);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? (error as Error).name ?? 'Error';
        result = { outcome: `error:${code}`, success: false, detail: (error as Error).message };
      }
      const ended = process.hrtime.bigint();
      if (ended < measureStart) continue;
      const ms = Number(ended - started) / 1e6;
      all.push(ms);
      if (result.success) success.push(ms);
      if (ended <= measureEnd) {
        if (result.success) completedInWindow += 1;
      } else {
        inFlightAtEnd += 1;
      }
      outcomes[result.outcome] = (outcomes[result.outcome] ?? 0) + 1;
      if (!result.success && !(result.outcome in failureSamples)) {
        failureSamples[result.outcome] = (result.detail ?? '').slice(0, 300);
      }
    }
  }

  await Promise.all(Array.from({ length: concurrency }, (_, i) => client(i)));
  const seconds = measureMs / 1000;
  return {
    concurrency,
    seconds,
    outcomes,
    latency: summarise(success),
    latencyAll: summarise(all),
    successPerSecond: seconds > 0 ? completedInWindow / seconds : 0,
    inFlightAtEnd,
    failureSamples,
  };
}

// ---- HTTP ----------------------------------------------------------------------------------------------

export interface HttpAnswer {
  status: number;
  body: string;
}

/** One keep-alive connection per benchmark client, like a real client with its own connection. */
export function clientAgent(): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: 1 });
}

export function httpRequest(
  url: URL,
  method: string,
  path: string,
  options: { agent?: http.Agent; headers?: Record<string, string>; body?: string; timeoutMs?: number } = {},
): Promise<HttpAnswer> {
  return new Promise((resolveAnswer, reject) => {
    const headers: Record<string, string | number> = { ...(options.headers ?? {}) };
    if (options.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      headers['content-length'] = Buffer.byteLength(options.body);
    }
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method,
        agent: options.agent,
        headers,
        timeout: options.timeoutMs ?? 30_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolveAnswer({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () =>
      request.destroy(Object.assign(new Error('request timed out'), { code: 'TIMEOUT' })),
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

export async function httpJson<T = unknown>(
  url: URL,
  method: string,
  path: string,
  options: { key?: string; body?: unknown; timeoutMs?: number; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  const answer = await httpRequest(url, method, path, {
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    timeoutMs: options.timeoutMs,
  });
  let parsed: unknown = answer.body;
  try {
    parsed = answer.body ? JSON.parse(answer.body) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: answer.status, body: parsed as T };
}

/** Runs `fn` over `items` with at most `limit` at a time, keeping the order of results. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
) {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await fn(items[index], index);
      }
    }),
  );
  return results;
}

// ---- output ----------------------------------------------------------------------------------------------

export function fmt(value: number | undefined | null, digits = 1): string {
  if (value === undefined || value === null || Number.isNaN(value)) return '–';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function markdownTable(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((v, c) => (v ?? '').padEnd(widths[c])).join(' | ')} |`;
  return [
    line(cells[0]),
    `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...cells.slice(1).map(line),
  ].join('\n');
}
