import { BSON, Collection, Db } from 'mongodb';
import {
  AccountabilityReport,
  AccountabilityReportBuilder,
  ActionCatalogue,
  REPORT_DIMENSIONS,
  ReportDimension,
  ReportValidity,
  summarisePledge,
} from '@ledger/domain';
import { PledgeSummaryDocument } from './pledge-summary.document';
import { ProjectionCheckpoints, Watermark } from './projection-checkpoints';

/**
 * One accountability report over every pledge of a read-model generation, compiled by the projector so that a
 * report generator's request reads one document instead of every pledge summary. It is true for the events of
 * its watermark until `validUntil` (the first pledge lapsing or target deadline passing after `computedAt`).
 */
export interface ReportSnapshotDocument {
  /** `<generation>:<dimension>` */
  _id: string;
  generation: string;
  dimension: ReportDimension;
  report: AccountabilityReport;
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
  /** Dimensions whose report is too large for one document (e.g. tens of thousands of actors): computed on
   *  request instead. */
  tooLarge?: ReportDimension[];
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

  /** By `_id` only: the one lookup FerretDB v1 serves from an index. */
  get(generation: string, dimension: ReportDimension): Promise<ReportSnapshotDocument | null> {
    return this.snapshots.findOne({ _id: `${generation}:${dimension}` });
  }

  /**
   * Summarises every pledge of `generation` once, as of now, and stores the report of each dimension. Pure
   * report maths over the read model, so it is as right as the summaries and can be repeated at any time.
   */
  async compile(generation: string, lapseAfterDays: number): Promise<CompiledReports> {
    const started = Date.now();
    const watermark = await this.checkpoints.watermark(generation);
    const now = new Date();
    // One pass over the summaries, keeping only a tally per group: memory stays flat however many pledges.
    const builders = REPORT_DIMENSIONS.map(
      (dimension) => new AccountabilityReportBuilder(dimension, this.catalogue),
    );
    const validity = new ReportValidity(now, lapseAfterDays);
    let pledges = 0;
    const docs = this.db.collection<PledgeSummaryDocument>(generation).find({}, { projection: { state: 1 } });
    for await (const doc of docs) {
      const summary = summarisePledge(doc.state, { now, lapseAfterDays });
      for (const builder of builders) builder.add(summary);
      validity.add(summary);
      pledges += 1;
    }
    const compiled: CompiledReports = {
      generation,
      watermark,
      computedAt: now.toISOString(),
      validUntil: validity.until,
      pledges,
      compileMs: 0,
    };
    const reports = builders.map((builder) => ({ dimension: builder.dimension, report: builder.build() }));
    compiled.compileMs = Date.now() - started;
    for (const { dimension, report } of reports) {
      const _id = `${generation}:${dimension}`;
      const doc = { ...compiled, dimension, report, lapseAfterDays };
      if (BSON.calculateObjectSize(doc) > MAX_SNAPSHOT_BYTES) {
        // No snapshot rather than an old one: readers then compute this report on request.
        await this.snapshots.deleteOne({ _id });
        (compiled.tooLarge ??= []).push(dimension);
        continue;
      }
      await this.snapshots.replaceOne({ _id }, doc, { upsert: true });
    }
    return compiled;
  }

  async drop(generation: string): Promise<void> {
    await this.snapshots.deleteMany({ generation });
  }
}
