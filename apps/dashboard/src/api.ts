/**
 * The ledger's public read API, as the dashboard uses it (the same origin that serves the page). Nothing here
 * computes a figure: every number on a page is one the API answered, so the page and the API cannot disagree.
 */
import type { Actor } from '@ledger/domain/actor';
import type { PledgeStatusView, PledgeSummary, TargetProgress } from '@ledger/domain/pledge-summary';
import type { PledgeTerms, Target } from '@ledger/domain/pledge-terms';
import type { ImportedFrom } from '@ledger/domain/pledge.events';
import type {
  AccountabilityReport,
  CurrencyTotal,
  ReportGroup,
} from '@ledger/domain/reports/accountability-report';
import type { WateringDownFinding } from '@ledger/domain/watering-down';

// The shapes are the domain's own (type-only imports: nothing of the domain is bundled), so a change there is a
// type error here rather than a silently wrong page.
export type { Actor, ImportedFrom, PledgeTerms, ReportGroup, Target, TargetProgress };
export type Status = PledgeStatusView;
export type Money = CurrencyTotal;
export type WateringDown = WateringDownFinding;
export const STATUSES: Status[] = ['active', 'lapsed', 'fulfilled', 'withdrawn'];
/** Where a pledge came from: its submission imported from earlier records, or sent to the ledger directly. */
export type Provenance = PledgeSummary['provenance'];
export const PROVENANCES: Provenance[] = ['imported', 'direct'];

/** What a read-model answer says it reflects (the projection's checkpoints) and the log size that covers. */
export interface Watermark {
  generation: string;
  partitions: { partition: number; offset: number; logIndex?: number }[];
  lastEventRecordedAt: string | null;
  eventsApplied: number;
}

export interface LogBinding {
  treeSize: number;
  checkpoint: { treeSize: number; note: string } | null;
}

export interface Report extends AccountabilityReport {
  filters: Record<string, string>;
  computedAt: string;
  validUntil?: string;
  source: string;
  watermark: Watermark;
  log: LogBinding;
}

export interface ListedPledge extends PledgeSummary {
  lastEventRecordedAt: string;
}

export interface PledgeList {
  items: ListedPledge[];
  nextCursor: string | null;
  watermark: Watermark;
  computedAt: string;
  log: LogBinding;
}

export interface RecordedEvent {
  eventId: string;
  streamId: string;
  version: number;
  type: string;
  occurredAt: string;
  recordedAt: string;
  principal: { id: string; role: string; name?: string };
  payload: Record<string, unknown>;
  /** Only on an event an import brought in: where it came from (principal is then who ran the import). */
  provenance?: ImportedFrom;
  prevHash: string;
  hash: string;
}

export interface History {
  pledgeId: string;
  version: number;
  events: RecordedEvent[];
  logIndexes: (number | null)[];
}

export interface Integrity {
  streamId: string;
  eventsChecked: number;
  valid: boolean;
  headHash?: string;
  firstBreak?: Record<string, unknown>;
  [k: string]: unknown;
}

export interface ActorRecord {
  id: string;
  kind: string;
  name: string;
  type: string;
  country: string;
  registeredAt: string;
}

export interface Framework {
  code: string;
  name: string;
  actions: { code: string; title: string }[];
}

export interface Region {
  code: string;
  name: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** GET a JSON answer; a problem+json answer becomes an ApiError carrying its detail. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, { headers: { accept: 'application/json' }, signal });
  if (!response.ok) {
    let detail = `${response.status} ${response.statusText}`;
    try {
      const problem = (await response.json()) as { detail?: string; title?: string };
      detail = problem.detail ?? problem.title ?? detail;
    } catch {
      /* not JSON: keep the status line */
    }
    throw new ApiError(response.status, detail);
  }
  return (await response.json()) as T;
}

/** A query string of the non-empty entries, in a stable order (so equal filters give equal URLs). */
export function query(params: Record<string, string | undefined | null>): string {
  const entries = Object.entries(params)
    .filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '')
    .sort(([a], [b]) => a.localeCompare(b));
  return entries.length ? `?${new URLSearchParams(entries).toString()}` : '';
}

export const api = {
  report: (dimension: string, filters: Record<string, string>, signal?: AbortSignal) =>
    getJson<Report>(`/reports/${encodeURIComponent(dimension)}${query(filters)}`, signal),
  pledges: (filters: Record<string, string>, signal?: AbortSignal) =>
    getJson<PledgeList>(`/pledges${query(filters)}`, signal),
  summary: (id: string, signal?: AbortSignal) =>
    getJson<ListedPledge>(`/pledges/${encodeURIComponent(id)}/summary`, signal),
  history: (id: string, signal?: AbortSignal) =>
    getJson<History>(`/pledges/${encodeURIComponent(id)}/history`, signal),
  integrity: (id: string, signal?: AbortSignal) =>
    getJson<Integrity>(`/pledges/${encodeURIComponent(id)}/integrity`, signal),
  actor: (id: string, signal?: AbortSignal) =>
    getJson<ActorRecord>(`/actors/${encodeURIComponent(id)}`, signal),
  frameworks: (signal?: AbortSignal) => getJson<Framework[]>('/frameworks', signal),
  regions: (signal?: AbortSignal) => getJson<Region[]>('/regions', signal),
  actorTypes: (signal?: AbortSignal) => getJson<string[]>('/actor-types', signal),
};
