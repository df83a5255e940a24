import { BSON, Collection, Db } from 'mongodb';
import {
  AccountabilityReport,
  AccountabilityReportBuilder,
  ActionCatalogue,
  PledgeSummary,
  REPORT_DIMENSIONS,
  ReportDimension,
  reportGroupKeys,
  ReportTransition,
  SummaryTransition,
  summarisePledge,
  upcomingTransitions,
} from '@ledger/domain';
import { IndexKey, indexKeysOf } from './pledge-index';
import { PledgeSummaryDocument } from './pledge-summary.document';
import { ProjectionCheckpoints, Watermark } from './projection-checkpoints';

/**
 * One accountability report over every pledge of a read-model generation, compiled by the projector so that a
 * report generator's request reads one document instead of every pledge summary. It is true for the events of
 * its watermark until `validUntil` (the first pledge lapsing or target deadline passing after `computedAt`).
 */
export interface ReportSnapshotDocument {
  /** `<generation>:<dimension>` over all pledges, `<generation>:<dimension>:<key>` over one filter value's */
  _id: string;
  /** The shape of `report` (REPORT_SNAPSHOT_FORMAT): a snapshot of another one is not served, but compiled
   *  again. Absent: format 1. */
  format?: number;
  generation: string;
  dimension: ReportDimension;
  /** The filter value (an index key, e.g. `country:KE`), 'all' for every pledge. */
  key?: IndexKey;
  report: AccountabilityReport;
  /** Changes time alone makes to `report` before `validUntil`, for readers to apply (see reportAt). */
  transitions?: ReportTransition[];
  /** Read before the summaries: the report reflects at least these events. */
  watermark: Watermark;
  computedAt: string;
  validUntil: string | null;
  lapseAfterDays: number;
  pledges: number;
  compileMs: number;
}

export interface CompiledReports {
  generation: string;
  watermark: Watermark;
  computedAt: string;
  validUntil: string | null;
  pledges: number;
  compileMs: number;
  /** Filter values with snapshots of their own (and 'all'). */
  keys?: number;
  /** Dimensions whose report is too large for one document (e.g. tens of thousands of actors): computed on
   *  request instead. */
  tooLarge?: ReportDimension[];
}

/**
 * The shape of the reports snapshots hold. 2: groups count imported pledges (`imported`). A snapshot compiled
 * by an older version lacks what readers now answer, so `get` treats it as missing: readers compute the report
 * on request and the compiler compiles it again at once.
 */
export const REPORT_SNAPSHOT_FORMAT = 2;

/**
 * A filter value with fewer pledges has no snapshot: its report is computed on request from its index list, at
 * most this many summary lookups (about a millisecond each on FerretDB v1).
 */
export const SNAPSHOT_MIN_PLEDGES = 100;

interface KeyTally {
  builders: AccountabilityReportBuilder[];
  /** What time alone changes within the horizon, applied by readers (see reportAt). */
  transitions: (SummaryTransition & { summary: PledgeSummary })[];
  /** The first change readers cannot apply: the snapshot's validUntil. */
  limit: number;
  pledges: number;
}

/**
 * How far ahead a snapshot carries the changes time alone makes (pledges lapsing, deadlines passing), which
 * readers apply to it up to the moment they read: within it, a snapshot stays true without a recompile.
 */
export const TRANSITION_HORIZON_MS = 24 * 3_600_000;

/** Transitions one snapshot carries at most (a deadline many targets share can bring thousands in a day). */
const MAX_TRANSITIONS = 2000;

interface Manifest {
  _id: string;
  keys: IndexKey[];
}

function snapshotId(generation: string, dimension: ReportDimension, key: IndexKey): string {
  return key === 'all' ? `${generation}:${dimension}` : `${generation}:${dimension}:${key}`;
}

/** Below MongoDB's 16 MiB document limit, with room for the envelope. */
const MAX_SNAPSHOT_BYTES = 15 * 2 ** 20;

/** A watermark's position only (per-partition offsets): equal keys, equal events reflected. */
export function watermarkKey(watermark: Watermark): string {
  return watermark.partitions.map((p) => `${p.partition}:${p.offset}`).join(',');
}

export class ReportSnapshots {
  private readonly snapshots: Collection<ReportSnapshotDocument>;
  private readonly checkpoints: ProjectionCheckpoints;

  constructor(
    private readonly db: Db,
    private readonly catalogue: ActionCatalogue = new ActionCatalogue(),
  ) {
    this.snapshots = db.collection<ReportSnapshotDocument>('report_snapshots');
    this.checkpoints = new ProjectionCheckpoints(db);
  }

  /** By `_id` only: the one lookup FerretDB v1 serves from an index. `key`: a single filter's (see
   *  snapshotKeyOf), 'all' for the unfiltered report. A snapshot of another format is none. */
  async get(
    generation: string,
    dimension: ReportDimension,
    key: IndexKey = 'all',
  ): Promise<ReportSnapshotDocument | null> {
    const snapshot = await this.snapshots.findOne({ _id: snapshotId(generation, dimension, key) });
    return snapshot && (snapshot.format ?? 1) === REPORT_SNAPSHOT_FORMAT ? snapshot : null;
  }

  /**
   * Summarises every pledge of `generation` once, as of now, and stores the report of each dimension over all
   * pledges and over the pledges of each single filter value with at least SNAPSHOT_MIN_PLEDGES of them (a
   * report filtered by a value with fewer is computed on request from the index: that many lookups). Pure
   * report maths over the read model, so it is as right as the summaries and can be repeated at any time.
   */
  async compile(
    generation: string,
    lapseAfterDays: number,
    minPledges = SNAPSHOT_MIN_PLEDGES,
  ): Promise<CompiledReports> {
    const started = Date.now();
    const watermark = await this.checkpoints.watermark(generation);
    const now = new Date();
    // One pass over the summaries, keeping only a tally per group and filter value: memory grows with the
    // number of groups, not of pledges.
    const byKey = new Map<IndexKey, KeyTally>();
    let pledges = 0;
    const horizon = now.getTime() + TRANSITION_HORIZON_MS;
    let firstLapse = Infinity;
    for await (const doc of this.db.collection<PledgeSummaryDocument>(generation).find({})) {
      const summary = summarisePledge(doc.state, { now, lapseAfterDays });
      const transitions = upcomingTransitions(summary, lapseAfterDays).filter((t) => t.at > now.getTime());
      for (const t of transitions) if (t.kind === 'lapse' && t.at < firstLapse) firstLapse = t.at;
      // Its keys with its status as seen now: a lapsed pledge counts under status:lapsed.
      for (const key of indexKeysOf(doc, summary.status)) {
        let tally = byKey.get(key);
        if (!tally) {
          tally = {
            builders: REPORT_DIMENSIONS.map((d) => new AccountabilityReportBuilder(d, this.catalogue)),
            transitions: [],
            limit: Infinity,
            pledges: 0,
          };
          byKey.set(key, tally);
        }
        for (const builder of tally.builders) builder.add(summary);
        for (const transition of transitions) {
          // A lapse moves a pledge from status:active to status:lapsed: those two are recompiled instead.
          const patchable = transition.kind === 'overdue' || !key.startsWith('status:');
          if (patchable && transition.at <= horizon) tally.transitions.push({ ...transition, summary });
          else if (transition.at < tally.limit) tally.limit = transition.at;
        }
        tally.pledges += 1;
      }
      pledges += 1;
    }
    // A pledge lapsing anywhere joins the lapsed ones.
    const lapsed = byKey.get('status:lapsed');
    if (lapsed && firstLapse < lapsed.limit) lapsed.limit = firstLapse;
    for (const tally of byKey.values()) {
      tally.transitions.sort((a, b) => a.at - b.at);
      if (tally.transitions.length > MAX_TRANSITIONS && tally.transitions[MAX_TRANSITIONS].at < tally.limit)
        tally.limit = tally.transitions[MAX_TRANSITIONS].at;
      tally.transitions = tally.transitions.filter((t) => t.at < tally.limit);
    }
    const until = (tally: KeyTally | undefined) =>
      tally && Number.isFinite(tally.limit) ? new Date(tally.limit).toISOString() : null;
    const all = byKey.get('all');
    const compiled: CompiledReports = {
      generation,
      watermark,
      computedAt: now.toISOString(),
      validUntil: until(all),
      pledges,
      compileMs: 0,
      keys: 0,
    };
    const manifestId = `${generation}:manifest`;
    const previous = ((await this.snapshots.findOne({ _id: manifestId })) as unknown as Manifest | null)
      ?.keys;
    const kept: IndexKey[] = [];
    const writes: { _id: string; doc?: ReportSnapshotDocument }[] = [];
    for (const [key, tally] of byKey) {
      if (key !== 'all' && tally.pledges < minPledges) continue;
      kept.push(key);
      for (const builder of tally.builders) {
        const _id = snapshotId(generation, builder.dimension, key);
        const doc: ReportSnapshotDocument = {
          _id,
          format: REPORT_SNAPSHOT_FORMAT,
          generation,
          dimension: builder.dimension,
          key,
          report: builder.build(),
          transitions: tally.transitions.map(({ at, kind, targets, summary }) => ({
            at: new Date(at).toISOString(),
            kind,
            targets,
            groups: reportGroupKeys(builder.dimension, summary),
          })),
          watermark,
          computedAt: compiled.computedAt,
          validUntil: until(tally),
          lapseAfterDays,
          pledges: tally.pledges,
          compileMs: 0,
        };
        if (BSON.calculateObjectSize(doc) > MAX_SNAPSHOT_BYTES) {
          // No snapshot rather than an old one: readers then compute this report on request.
          writes.push({ _id });
          if (key === 'all') (compiled.tooLarge ??= []).push(builder.dimension);
        } else writes.push({ _id, doc });
      }
    }
    byKey.clear();
    compiled.compileMs = Date.now() - started;
    for (const { _id, doc } of writes) {
      if (doc)
        await this.snapshots.replaceOne({ _id }, { ...doc, compileMs: compiled.compileMs }, { upsert: true });
      else await this.snapshots.deleteOne({ _id });
    }
    // Filter values no longer compiled (fewer pledges now): their old snapshots must not be served.
    for (const key of previous ?? []) {
      if (kept.includes(key)) continue;
      for (const dimension of REPORT_DIMENSIONS)
        await this.snapshots.deleteOne({ _id: snapshotId(generation, dimension, key) });
    }
    await this.snapshots.replaceOne(
      { _id: manifestId },
      { _id: manifestId, generation, keys: kept } as unknown as ReportSnapshotDocument,
      { upsert: true },
    );
    compiled.keys = kept.length;
    return compiled;
  }

  /** By `_id` (a filtered delete scans the collection on FerretDB v1): every key the manifest names. */
  async drop(generation: string): Promise<void> {
    const manifestId = `${generation}:manifest`;
    const manifest = (await this.snapshots.findOne({ _id: manifestId })) as unknown as Manifest | null;
    for (const key of new Set(['all', ...(manifest?.keys ?? [])]))
      for (const dimension of REPORT_DIMENSIONS)
        await this.snapshots.deleteOne({ _id: snapshotId(generation, dimension, key) });
    await this.snapshots.deleteOne({ _id: manifestId });
  }
}
