import { Collection, Db } from 'mongodb';
import {
  entryPledgeId,
  IndexKey,
  IndexListReader,
  indexListReader,
  IndexMergeReader,
  indexListReaders,
} from './pledge-index';
import { PledgeProvenance, PledgeSummaryDocument, provenanceOf } from './pledge-summary.document';

/** What lists and reports filter pledges by (all optional; together they must all hold). */
export interface PledgeFilters {
  actor?: string;
  actorType?: string;
  country?: string;
  region?: string;
  framework?: string;
  action?: string;
  /** 'imported': pledges whose submission came in through an import; 'direct': submitted through the API. */
  provenance?: PledgeProvenance;
  status?: 'active' | 'lapsed' | 'fulfilled' | 'withdrawn';
  /** YYYY-MM-DD, inclusive */
  submittedFrom?: string;
  /** YYYY-MM-DD, inclusive */
  submittedTo?: string;
}

const DAY_MS = 86_400_000;

/**
 * The filters with an index list, most selective first by their nature: an actor has a handful of pledges, an
 * action or a country a few per cent, an actor type a sixth or so, a provenance anything from a few to most
 * (imported history may be most of a ledger, or a few pledges), a status most of them. A query walks the list
 * of the first one it has and checks the others on each pledge's summary.
 */
const KEYED = [
  'actor',
  'action',
  'country',
  'region',
  'framework',
  'actorType',
  'provenance',
  'status',
] as const;

function keyOf(name: (typeof KEYED)[number], value: string, forIndex: boolean): IndexKey {
  // The index lists pledges by stored status; lapsed is an active pledge whose clock ran out.
  if (name === 'status' && forIndex && value === 'lapsed') return 'status:active';
  return `${name}:${value}`;
}

/** The index lists of a query's filters, the most selective first: it walks the first (or 'all'). */
export function filterKeys(filters: PledgeFilters): IndexKey[] {
  return KEYED.filter((name) => filters[name] !== undefined).map((name) => keyOf(name, filters[name]!, true));
}

export function walkKey(filters: PledgeFilters): IndexKey {
  return filterKeys(filters)[0] ?? 'all';
}

/** A report's snapshot key when it has exactly one filter and that one is keyed ('all' with none). */
export function snapshotKeyOf(filters: PledgeFilters): IndexKey | undefined {
  const given = (Object.keys(filters) as (keyof PledgeFilters)[]).filter((k) => filters[k] !== undefined);
  if (given.length === 0) return 'all';
  if (given.length > 1) return undefined;
  const name = given[0];
  return (KEYED as readonly string[]).includes(name)
    ? keyOf(name as (typeof KEYED)[number], filters[name]!, false)
    : undefined;
}

/** Active pledges whose progress clock is before this instant are lapsed at `now`. */
export function lapseCutoff(now: Date, lapseAfterDays: number): string {
  return new Date(now.getTime() - lapseAfterDays * DAY_MS).toISOString();
}

export function statusAt(doc: PledgeSummaryDocument, cutoff: string): PledgeFilters['status'] {
  if (doc.status !== 'active') return doc.status;
  return doc.progressClock < cutoff ? 'lapsed' : 'active';
}

export function matchesFilters(doc: PledgeSummaryDocument, filters: PledgeFilters, cutoff: string): boolean {
  return (
    (filters.actor === undefined || doc.actorId === filters.actor) &&
    (filters.actorType === undefined || doc.actorType === filters.actorType) &&
    (filters.country === undefined || doc.countries.includes(filters.country)) &&
    (filters.region === undefined || doc.regions.includes(filters.region)) &&
    (filters.framework === undefined || doc.frameworks.includes(filters.framework)) &&
    (filters.action === undefined || doc.actions.includes(filters.action)) &&
    (filters.submittedFrom === undefined || doc.submittedAt >= `${filters.submittedFrom}T00:00:00.000Z`) &&
    (filters.submittedTo === undefined || doc.submittedAt <= `${filters.submittedTo}T23:59:59.999Z`) &&
    (filters.provenance === undefined || provenanceOf(doc) === filters.provenance) &&
    (filters.status === undefined || statusAt(doc, cutoff) === filters.status)
  );
}

/** Where a walk stands: the last entry examined, and the bucket each partition's list goes on from. */
export interface WalkPosition {
  after: string;
  hints?: Record<number, string>;
}

/**
 * Index entries of the walked list one call passes at most, in the lists of other filters or not: bounds the
 * work of a page whose filters together match little (about 50 entries per bucket read).
 */
export const MAX_INDEX_ENTRIES_PER_CALL = 5000;

/** Summaries read by `_id` at once: overlapping hides the round trips (measured on FerretDB: 50 lookups in
 *  about 35 ms with 16 at once, 38 ms with 8, 47 ms with 4). */
const FETCH_CONCURRENCY = 16;

/**
 * The pledges matching `filters`, newest first: the walk key's lists merged across partitions; a candidate must
 * be in the lists of the other keyed filters too (checked in the same partition's lists, read along with the
 * walk), and its summary, read by `_id`, is checked against every filter (so an index entry that is extra for
 * a moment, see PledgeSummaryProjection, is never shown). Only lapsed/active and dates are decided by the
 * summaries alone.
 */
export class PledgeWalk {
  private readonly merge: IndexMergeReader;
  private readonly others: IndexKey[];
  private readonly members = new Map<string, IndexListReader>();
  private readonly after?: string;
  private readonly from?: string;
  private exhausted = false;
  /** The last entry examined (a cursor's position). */
  last?: string;
  /** Summaries read. */
  examined = 0;
  /** Index entries of the walked list passed. */
  walked = 0;

  constructor(
    private readonly db: Db,
    private readonly generation: string,
    private readonly summaries: Collection<PledgeSummaryDocument>,
    partitions: readonly number[],
    private readonly filters: PledgeFilters,
    private readonly cutoff: string,
    start?: WalkPosition,
  ) {
    // The end of a date range is a position too: entries start with the submission instant.
    const to = filters.submittedTo ? `${filters.submittedTo}T23:59:59.999Z|\uffff` : undefined;
    this.after = start && to ? (start.after < to ? start.after : to) : (start?.after ?? to);
    const [walked, ...others] = filterKeys(filters);
    this.merge = indexListReaders(db, generation, walked ?? 'all', partitions, this.after, start?.hints);
    this.others = [...new Set(others)].filter((k) => k !== walked);
    if (filters.submittedFrom) this.from = `${filters.submittedFrom}T00:00:00.000Z`;
  }

  /** The reader of `key`'s list in `partition`, one per list for the whole walk (it moves forward only). */
  private member(key: IndexKey, partition: number): IndexListReader {
    const id = `${key}|${partition}`;
    let reader = this.members.get(id);
    if (!reader) {
      reader = indexListReader(this.db, this.generation, key, partition, this.after);
      this.members.set(id, reader);
    }
    return reader;
  }

  private async inEveryList(entry: string, partition: number): Promise<boolean> {
    for (const key of this.others) if (!(await this.member(key, partition).contains(entry))) return false;
    return true;
  }

  get done(): boolean {
    return this.exhausted;
  }

  hints(): Record<number, string> {
    return this.merge.hints();
  }

  /** Examines up to `candidates` more entries; returns the summaries among them that match. */
  async next(candidates: number): Promise<PledgeSummaryDocument[]> {
    const entries: string[] = [];
    let walked = 0;
    while (entries.length < candidates && walked < MAX_INDEX_ENTRIES_PER_CALL) {
      const next = await this.merge.next();
      if (!next || (this.from !== undefined && next.entry < this.from)) {
        this.exhausted = true;
        break;
      }
      walked += 1;
      this.last = next.entry;
      if (this.others.length === 0 || (await this.inEveryList(next.entry, next.partition)))
        entries.push(next.entry);
    }
    const docs = new Array<PledgeSummaryDocument | null>(entries.length);
    let at = 0;
    await Promise.all(
      Array.from({ length: Math.min(FETCH_CONCURRENCY, entries.length) }, async () => {
        while (at < entries.length) {
          const i = at++;
          docs[i] = await this.summaries.findOne({ _id: entryPledgeId(entries[i]) });
        }
      }),
    );
    this.examined += entries.length;
    this.walked += walked;
    if (!this.exhausted && (await this.atEnd())) this.exhausted = true;
    return docs.filter(
      (doc): doc is PledgeSummaryDocument => doc !== null && matchesFilters(doc, this.filters, this.cutoff),
    );
  }

  private async atEnd(): Promise<boolean> {
    const next = await this.merge.peek();
    return next === undefined || (this.from !== undefined && next < this.from);
  }
}
