// Loads the demo data set (demo-data.ts) into a running ledger API over plain HTTP, as any client would:
// register organisations and verifiers with the admin key, submit pledges as their organisations, then the
// follow-ups. Every write carries an Idempotency-Key derived from the plan step, so a retried request never
// records twice. Re-running against the same database is refused: organisation API keys are shown only once,
// so the loader cannot act for organisations an earlier run registered. Use a fresh database, or a new `tag`
// (appended to every name) to load a second set next to the first.
import {
  buildDemoPlan,
  DEFAULT_DEMO_SEED,
  type DemoOperation,
  type DemoPlan,
  type DemoPledge,
} from './demo-data';

export interface LoadDemoOptions {
  /** Base URL of the ledger API, e.g. http://127.0.0.1:8080 */
  apiUrl: string;
  /** The API's ADMIN_API_KEY. */
  adminKey: string;
  /** As-of dates are placed before this instant; it must not be ahead of the API's clock. Default: now. */
  now?: Date;
  log?: (line: string) => void;
  /** Appended to organisation and verifier names ("… [tag]"); default ''. */
  tag?: string;
  /** Seed of the demo plan; the default gives the standard set. */
  seed?: string | number;
  /** Requests in flight at once; default 8. Each pledge's operations still run in order. */
  concurrency?: number;
}

export interface DemoSummary {
  organisations: number;
  verifiers: number;
  pledges: number;
  progressReports: number;
  corrections: number;
  amendments: number;
  /** Amendments the ledger flagged as watering-down. */
  wateringDowns: number;
  withdrawals: number;
  fulfilments: number;
  verifications: number;
  elapsedMs: number;
}

/** The API answered a demo write with an unexpected status; `problem` is its (problem+json) body. */
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

interface Registered {
  id: string;
  apiKey: string;
}

interface WriteResult {
  pledgeId: string;
  version: number;
  recorded: { type: string; payload: { reportId?: string; value?: number; asOf?: string } }[];
  pledge: { wateringDown: unknown[] };
}

const MAX_ATTEMPTS = 4;
const RETRY_BASE_MS = 250;

/** A status worth retrying with the same Idempotency-Key: the request may succeed next time. */
function retriable(status: number, body: unknown): boolean {
  if (status >= 500) return true;
  if (status === 429) return true;
  const code = (body as { code?: unknown } | null)?.code;
  return status === 409 && (code === 'request-in-progress' || code === 'version-conflict');
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

/** The report a progress or correction write just recorded, from the event in its answer. */
function recordedReport(result: WriteResult, op: DemoOperation & { kind: 'progress' | 'correction' }) {
  const report = result.recorded?.find(
    (e) => e.payload.reportId !== undefined && e.payload.value === op.value && e.payload.asOf === op.asOf,
  );
  if (report) return report.payload.reportId!;
  throw new Error(`demo step ${op.step}: the response does not show the progress report just recorded`);
}

export async function loadDemo(options: LoadDemoOptions): Promise<DemoSummary> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const baseUrl = options.apiUrl.replace(/\/+$/, '');
  const plan: DemoPlan = buildDemoPlan({
    seed: options.seed ?? DEFAULT_DEMO_SEED,
    now: options.now ?? new Date(),
    tag: options.tag ?? '',
  });
  const client = new LedgerClient(baseUrl, `demo-${plan.tag ? `${plan.tag}-` : ''}`);
  const summary: DemoSummary = {
    organisations: 0,
    verifiers: 0,
    pledges: 0,
    progressReports: 0,
    corrections: 0,
    amendments: 0,
    wateringDowns: 0,
    withdrawals: 0,
    fulfilments: 0,
    verifications: 0,
    elapsedMs: 0,
  };
  log(
    `demo: ${plan.organisations.length} organisations, ${plan.verifiers.length} verifiers, ` +
      `${plan.pledges.length} pledges, ${plan.operations.length} follow-ups → ${baseUrl}`,
  );

  // 1. Actors. The first organisation alone: if it exists, this set is already loaded.
  const keys = new Map<string, string>();
  const [first, ...rest] = plan.organisations;
  const registerOrganisation = async (org: (typeof plan.organisations)[number]): Promise<void> => {
    const { status, body } = await client.post<Registered | { code?: string }>(
      `actor-${org.key}`,
      '/actors/organisations',
      options.adminKey,
      { name: org.name, type: org.type, country: org.country },
      (s, b) => org === first && s === 409 && (b as { code?: string })?.code === 'actor-already-registered',
    );
    if (status === 409) {
      throw new DemoAlreadyLoadedError(
        `demo data already loaded: an organisation named "${org.name}" is already registered. Its API key ` +
          'cannot be read back, so the demo cannot continue in this database; use a fresh database ' +
          '(e.g. another MONGODB_DB) or load a second set with a new tag.',
      );
    }
    keys.set(org.key, (body as Registered).apiKey);
    summary.organisations++;
  };
  await registerOrganisation(first);
  await inPool(rest, concurrency, registerOrganisation);
  await inPool(plan.verifiers, concurrency, async (verifier) => {
    const { body } = await client.post<Registered>(
      `actor-${verifier.key}`,
      '/actors/verifiers',
      options.adminKey,
      {
        name: verifier.name,
      },
    );
    keys.set(verifier.key, body.apiKey);
    summary.verifiers++;
  });
  log(
    `demo: registered ${summary.organisations} organisations and ${summary.verifiers} verifiers (${since(started)})`,
  );

  // 2. Pledges, each submitted by its organisation.
  const pledgeIds = new Map<string, string>();
  await inPool(plan.pledges, concurrency, async (pledge: DemoPledge) => {
    const { body } = await client.post<WriteResult>(
      pledge.key,
      '/pledges',
      keyOf(keys, pledge.organisation),
      pledge.terms,
    );
    pledgeIds.set(pledge.key, body.pledgeId);
    summary.pledges++;
  });
  log(`demo: submitted ${summary.pledges} pledges (${since(started)})`);

  // 3. Follow-ups: one chain per pledge, in plan order; chains run side by side.
  const chains = new Map<string, DemoOperation[]>();
  for (const op of plan.operations) {
    const chain = chains.get(op.pledge) ?? [];
    chain.push(op);
    chains.set(op.pledge, chain);
  }
  const ownerOf = new Map(plan.pledges.map((pledge) => [pledge.key, pledge.organisation]));
  const reportIds = new Map<string, string>();
  const reportId = (symbol: string, step: string): string => {
    const id = reportIds.get(symbol);
    if (!id) throw new Error(`demo step ${step}: report ${symbol} was not recorded before it is referred to`);
    return id;
  };
  const findingsSeen = new Map<string, number>();
  let done = 0;
  await inPool([...chains.values()], concurrency, async (chain) => {
    for (const op of chain) {
      const pledgeId = pledgeIds.get(op.pledge)!;
      const base = `/pledges/${pledgeId}`;
      const owner = keyOf(keys, ownerOf.get(op.pledge)!);
      switch (op.kind) {
        case 'progress': {
          const { body } = await client.post<WriteResult>(op.step, `${base}/progress`, owner, {
            targetId: op.targetId,
            value: op.value,
            asOf: op.asOf,
            narrative: op.narrative,
            evidence: op.evidence,
          });
          reportIds.set(op.report, recordedReport(body, op));
          summary.progressReports++;
          break;
        }
        case 'correction': {
          const corrected = reportId(op.corrects, op.step);
          const { body } = await client.post<WriteResult>(
            op.step,
            `${base}/progress/${encodeURIComponent(corrected)}/corrections`,
            owner,
            {
              value: op.value,
              asOf: op.asOf,
              narrative: op.narrative,
              evidence: op.evidence,
              reason: op.reason,
            },
          );
          reportIds.set(op.report, recordedReport(body, op));
          summary.corrections++;
          break;
        }
        case 'amendment': {
          const { body } = await client.post<WriteResult>(op.step, `${base}/amendments`, owner, {
            reason: op.reason,
            changes: op.changes,
          });
          summary.amendments++;
          // The result shows the pledge after the amendment with every finding so far; one chain per pledge,
          // so a larger count than before means this amendment was flagged.
          const findings = body.pledge?.wateringDown?.length ?? 0;
          const flagged = findings > (findingsSeen.get(op.pledge) ?? 0);
          findingsSeen.set(op.pledge, findings);
          if (flagged) summary.wateringDowns++;
          if (flagged !== op.wateringDown) {
            log(
              `demo: warning: ${op.step} was planned as ${op.wateringDown ? '' : 'not '}watering-down, ` +
                `the ledger flagged it ${flagged ? '' : 'not '}as such`,
            );
          }
          break;
        }
        case 'fulfilment':
          await client.post(op.step, `${base}/fulfilment`, owner, { note: op.note });
          summary.fulfilments++;
          break;
        case 'withdrawal':
          await client.post(op.step, `${base}/withdrawal`, owner, { reason: op.reason });
          summary.withdrawals++;
          break;
        case 'verification':
          await client.post(op.step, `${base}/verifications`, keyOf(keys, op.verifier), {
            outcome: op.outcome,
            note: op.note,
            ...(op.report ? { reportId: reportId(op.report, op.step) } : {}),
          });
          summary.verifications++;
          break;
      }
      done++;
      if (done % 100 === 0) log(`demo: ${done}/${plan.operations.length} follow-ups (${since(started)})`);
    }
  });
  summary.elapsedMs = Date.now() - started;
  log(
    `demo: done in ${since(started)}: ${summary.progressReports} progress reports, ${summary.corrections} ` +
      `corrections, ${summary.amendments} amendments (${summary.wateringDowns} watering-down), ` +
      `${summary.withdrawals} withdrawals, ${summary.fulfilments} fulfilments, ` +
      `${summary.verifications} verifications`,
  );
  return summary;
}

function keyOf(keys: Map<string, string>, actorKey: string): string {
  const key = keys.get(actorKey);
  if (!key) throw new Error(`demo: no API key for ${actorKey}`);
  return key;
}

function since(started: number): string {
  return `${((Date.now() - started) / 1000).toFixed(1)} s`;
}
