// Loads the demo data set (demo-data.ts) into a running ledger API as a registry migrating its history would:
// 1. register the organisations and verifiers with the admin key (POST /actors/…),
// 2. write the plan as an import file (demo-import.ts: JSON Lines, every row at the day it happened) and
// 3. import it with the admin key (POST /imports, followed to its end by import-client.ts).
// The plan is checked offline with the ledger's rules before anything is sent (demoFigures), so a plan bug
// fails here naming the row, and the figures it prints (lapsed, overdue, watered down) are the reports' own.
//
// Loading twice into one database is refused: the first organisation is already registered, and a second set
// needs other names. Load another set beside the first with a tag (`npm run demo -- --tag second`): its actor
// names end in " [second]", its source is "… [second]", so its pledges get their own ids.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calendarDateOf } from '@ledger/domain';
import { importFile, ImportRejectedError, type ImportProgress } from '../import/import-client';
import type { ImportRowError, ImportStatus } from '../import/import-types';
import { buildDemoPlan, DEFAULT_DEMO_SEED, type DemoPlan } from './demo-data';
import { demoFigures, demoImportRows, demoSource, toJsonLines, type DemoImportRow } from './demo-import';

export interface LoadDemoOptions {
  /** Base URL of the ledger API, e.g. http://127.0.0.1:8080 */
  apiUrl: string;
  /** The API's ADMIN_API_KEY. */
  adminKey: string;
  /** The history ends the day before this instant; it must not be ahead of the API's clock. Default: now. */
  now?: Date;
  log?: (line: string) => void;
  /** Names a second (third, …) set loaded beside the standard one; default '' (the standard set). */
  tag?: string;
  /** Seed of the demo plan; the default gives the standard set. */
  seed?: string | number;
  /** Registrations in flight at once; default 8. */
  concurrency?: number;
}

export interface DemoSummary {
  organisations: number;
  verifiers: number;
  pledges: number;
  progressReports: number;
  corrections: number;
  amendments: number;
  /** Amendments the ledger flags as watering-down. */
  wateringDowns: number;
  withdrawals: number;
  fulfilments: number;
  verifications: number;
  /** Years the pledges were made in (the first and the latest). */
  firstYear: number;
  lastYear: number;
  /** Active pledges silent for more than 180 days (the default LAPSE_AFTER_DAYS), as of now. */
  lapsed: number;
  /** Targets whose deadline has passed, not reached. */
  overdueTargets: number;
  wateredDownPledges: number;
  /** The import: its id, the rows of its file, events recorded and rows found already recorded. */
  importId: string;
  rows: number;
  recorded: number;
  alreadyRecorded: number;
  elapsedMs: number;
}

/** The command that loads another set beside the standard one (main.ts passes `--tag` as `tag`). */
export const DEMO_TAG_USAGE = 'npm run demo -- --tag <name>';

/** A tag names a set in actor names, source name and pledge references: short and plain. */
const TAG_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

/** `ledger-cli demo [--tag <name>]` → options for loadDemo. Throws on anything else. */
export function parseDemoArgs(args: readonly string[]): { tag?: string } {
  const options: { tag?: string } = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = arg === '--tag' ? args[++i] : arg.startsWith('--tag=') ? arg.slice('--tag='.length) : null;
    if (value === null)
      throw new Error(`demo: unknown argument ${JSON.stringify(arg)}; usage: ${DEMO_TAG_USAGE}`);
    if (value === undefined || !TAG_PATTERN.test(value))
      throw new Error(
        `demo: --tag takes a name of letters, digits, ".", "_" or "-" (up to 40), e.g. --tag second`,
      );
    options.tag = value;
  }
  return options;
}

/** The API answered a registration with an unexpected status; `problem` is its (problem+json) body. */
export class DemoLoadError extends Error {
  override readonly name = 'DemoLoadError';

  constructor(
    readonly step: string,
    readonly request: string,
    readonly status: number,
    readonly problem: unknown,
  ) {
    super(`demo step ${step}: ${request} answered ${status}: ${JSON.stringify(problem)}`);
  }
}

/** The database already holds this demo set (its first organisation is registered). */
export class DemoAlreadyLoadedError extends Error {
  override readonly name = 'DemoAlreadyLoadedError';
}

/** The ledger refused the demo's import file, or recording it failed; the file is kept at `file`. */
export class DemoImportError extends Error {
  override readonly name = 'DemoImportError';

  constructor(
    message: string,
    readonly file: string,
    readonly errors: ImportRowError[],
    cause?: unknown,
  ) {
    super(message, { cause });
  }
}

interface Registered {
  id: string;
}

const MAX_ATTEMPTS = 4;
const RETRY_BASE_MS = 250;

/** A status worth retrying with the same Idempotency-Key: the request may succeed next time. */
function retriable(status: number, body: unknown): boolean {
  if (status >= 500) return true;
  if (status === 429) return true;
  const code = (body as { code?: unknown } | null)?.code;
  return status === 409 && code === 'request-in-progress';
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

class LedgerClient {
  constructor(
    private readonly baseUrl: string,
    private readonly idempotencyPrefix: string,
  ) {}

  /** POSTs `body`, retrying network errors and transient statuses; any other non-2xx throws DemoLoadError. */
  async post<T>(
    step: string,
    path: string,
    apiKey: string,
    body: unknown,
    accept: (status: number, body: unknown) => boolean = () => false,
  ): Promise<{ status: number; body: T }> {
    const request = `POST ${path}`;
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(`${this.baseUrl}${path}`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${apiKey}`,
            'content-type': 'application/json',
            accept: 'application/json, application/problem+json',
            'idempotency-key': `${this.idempotencyPrefix}${step}`,
          },
          body: JSON.stringify(body),
        });
      } catch (error) {
        if (attempt < MAX_ATTEMPTS) {
          await sleep(RETRY_BASE_MS * 2 ** (attempt - 1));
          continue;
        }
        const reason = error instanceof Error ? `${error.message}${causeOf(error)}` : String(error);
        throw new Error(`demo step ${step}: ${request} failed: ${reason}`);
      }
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text === '' ? null : JSON.parse(text);
      } catch {
        // not JSON: keep the text for the error message
      }
      if (response.ok || accept(response.status, parsed))
        return { status: response.status, body: parsed as T };
      if (attempt < MAX_ATTEMPTS && retriable(response.status, parsed)) {
        await sleep(RETRY_BASE_MS * 2 ** (attempt - 1));
        continue;
      }
      throw new DemoLoadError(step, request, response.status, parsed);
    }
  }
}

function causeOf(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? ` (${cause.message})` : '';
}

/**
 * Runs `worker` over `items` with at most `limit` in flight. On the first failure no new item starts; the
 * ones in flight finish, then the failure is thrown.
 */
async function inPool<T>(
  items: readonly T[],
  limit: number,
  worker: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (!failure && next < items.length) {
      const item = items[next++];
      try {
        await worker(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  if (failure) throw failure.error;
}

function alreadyLoadedMessage(plan: DemoPlan, organisation: string): string {
  const set = plan.tag ? `The demo set tagged "${plan.tag}"` : 'The demo set';
  return (
    `${set} is already loaded in this ledger (the organisation "${organisation}" is registered); nothing ` +
    `was changed. To add another demo set beside it, give the new set a tag: ${DEMO_TAG_USAGE} ` +
    `(e.g. --tag ${plan.tag ? `${plan.tag}-2` : 'second'}); its organisations, verifiers and pledges get ` +
    'names ending in " [<name>]" and their own ids. To start over instead, use a fresh database.'
  );
}

/** Row N of the file as a short label for error messages: "row 57 (progress DEMO-p017, 2019-08-12)". */
function rowLabel(rows: readonly DemoImportRow[], row: number): string {
  const r = rows[row - 1];
  return r ? `row ${row} (${String(r.kind)} ${String(r.pledgeId)}, ${String(r.occurredAt)})` : `row ${row}`;
}

/** The bad rows of a refused import, from the status it carries or the problem's invalid-params. */
function rejectedRows(error: ImportRejectedError): ImportRowError[] {
  if (error.status?.errors?.length) return error.status.errors;
  const params = (error.problem as { 'invalid-params'?: { name: string; reason: string; row?: number }[] })?.[
    'invalid-params'
  ];
  return (params ?? []).map((p) => ({ row: p.row ?? 0, field: p.name, reason: p.reason }));
}

export async function loadDemo(options: LoadDemoOptions): Promise<DemoSummary> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const baseUrl = options.apiUrl.replace(/\/+$/, '');
  const tag = (options.tag ?? '').trim();
  if (tag && !TAG_PATTERN.test(tag))
    throw new Error(`demo: a tag is letters, digits, ".", "_" or "-" (up to 40), got ${JSON.stringify(tag)}`);
  const plan = buildDemoPlan({
    seed: options.seed ?? DEFAULT_DEMO_SEED,
    now: options.now ?? new Date(),
    tag,
  });
  // The ledger's rules, offline: a plan it would refuse fails here, before anything is registered.
  const figures = demoFigures(plan);
  const count = (kind: string) => plan.operations.filter((op) => op.kind === kind).length;
  log(
    `demo: ${plan.organisations.length} organisations, ${plan.verifiers.length} verifiers, ` +
      `${plan.pledges.length} pledges made ${figures.firstYear}-${figures.lastYear} with ` +
      `${plan.operations.length} follow-ups (${figures.rows} import rows)${tag ? `, tag "${tag}"` : ''} → ${baseUrl}`,
  );

  // 1. Actors, with the admin key. The first organisation alone: if it exists, this set is already loaded.
  const client = new LedgerClient(baseUrl, `demo-${tag ? `${tag}-` : ''}`);
  const organisationIds = new Map<string, string>();
  const verifierIds = new Map<string, string>();
  const [first, ...rest] = plan.organisations;
  const registerOrganisation = async (org: (typeof plan.organisations)[number]): Promise<void> => {
    const { status, body } = await client.post<Registered | { code?: string }>(
      `actor-${org.key}`,
      '/actors/organisations',
      options.adminKey,
      { name: org.name, type: org.type, country: org.country },
      (s, b) => org === first && s === 409 && (b as { code?: string })?.code === 'actor-already-registered',
    );
    if (status === 409) throw new DemoAlreadyLoadedError(alreadyLoadedMessage(plan, org.name));
    organisationIds.set(org.key, (body as Registered).id);
  };
  await registerOrganisation(first);
  await inPool(rest, concurrency, registerOrganisation);
  await inPool(plan.verifiers, concurrency, async (verifier) => {
    const { body } = await client.post<Registered>(
      `actor-${verifier.key}`,
      '/actors/verifiers',
      options.adminKey,
      { name: verifier.name },
    );
    verifierIds.set(verifier.key, body.id);
  });
  log(
    `demo: registered ${organisationIds.size} organisations and ${verifierIds.size} verifiers (${since(started)})`,
  );

  // 2. The import file.
  const rows = demoImportRows(plan, { organisations: organisationIds, verifiers: verifierIds });
  const dir = await mkdtemp(join(tmpdir(), 'ledger-demo-'));
  const file = join(dir, `demo${tag ? `-${tag}` : ''}.jsonl`);
  await writeFile(file, toJsonLines(rows), 'utf8');
  const source = demoSource(plan);
  log(`demo: wrote ${rows.length} rows to ${file}; importing as "${source.name}"`);

  // 3. The import, followed to its end.
  let lastPhase = '';
  let lastLine = 0;
  const onProgress = (progress: ImportProgress): void => {
    const { phase, status } = progress;
    if (phase === lastPhase && Date.now() - lastLine < 2000) return;
    lastPhase = phase;
    lastLine = Date.now();
    const detail = status
      ? `${status.rowsRead}/${rows.length} rows read, ${status.rowsApplied} applied, ${status.recorded} events recorded`
      : `${progress.bytesSent}/${progress.bytesTotal} bytes sent`;
    log(`demo: import ${phase}: ${detail} (${since(started)})`);
  };
  let imported: ImportStatus;
  try {
    imported = await importFile({
      apiUrl: baseUrl,
      apiKey: options.adminKey,
      file,
      format: 'jsonl',
      source,
      onProgress,
    });
  } catch (error) {
    if (!(error instanceof ImportRejectedError)) {
      log(`demo: the import file is kept at ${file}`);
      throw error;
    }
    const errors = rejectedRows(error);
    const listed = errors.slice(0, 10).map((e) => `  ${rowLabel(rows, e.row)} ${e.field}: ${e.reason}`);
    const more = (error.status?.errorsTotal ?? errors.length) - listed.length;
    throw new DemoImportError(
      [
        `demo: the ledger refused the demo import: ${error.message}`,
        ...listed,
        ...(more > 0 ? [`  … and ${more} more`] : []),
        `The file is kept at ${file}; the organisations and verifiers are registered, so load again with a new ` +
          `tag (${DEMO_TAG_USAGE}) or into a fresh database.`,
      ].join('\n'),
      file,
      errors,
      error,
    );
  }
  await rm(dir, { recursive: true, force: true });

  const summary: DemoSummary = {
    organisations: organisationIds.size,
    verifiers: verifierIds.size,
    pledges: plan.pledges.length,
    progressReports: count('progress'),
    corrections: count('correction'),
    amendments: count('amendment'),
    wateringDowns: figures.wateringDowns,
    withdrawals: count('withdrawal'),
    fulfilments: count('fulfilment'),
    verifications: count('verification'),
    firstYear: figures.firstYear,
    lastYear: figures.lastYear,
    lapsed: figures.lapsed,
    overdueTargets: figures.overdueTargets,
    wateredDownPledges: figures.wateredDownPledges,
    importId: imported.id,
    rows: rows.length,
    recorded: imported.recorded,
    alreadyRecorded: imported.alreadyRecorded,
    elapsedMs: Date.now() - started,
  };
  log(
    `demo: done in ${since(started)}: import ${imported.id} recorded ${imported.recorded} events ` +
      `(${imported.alreadyRecorded} rows already there). ${summary.pledges} pledges made ` +
      `${summary.firstYear}-${summary.lastYear} (as of ${calendarDateOf(plan.now)}: ${figures.active} active, ` +
      `${figures.lapsed} lapsed, ${figures.fulfilled} fulfilled, ${figures.withdrawn} withdrawn; ` +
      `${figures.wateredDownPledges} watered down), ${summary.progressReports} progress reports, ` +
      `${summary.corrections} corrections, ${summary.amendments} amendments (${summary.wateringDowns} ` +
      `watering-down), ${summary.verifications} verifications; targets: ${figures.reachedTargets} reached, ` +
      `${figures.onTrackTargets} on track, ${figures.offTrackTargets} off track, ${figures.overdueTargets} overdue`,
  );
  return summary;
}

function since(started: number): string {
  return `${((Date.now() - started) / 1000).toFixed(1)} s`;
}
