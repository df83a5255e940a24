import { Injectable } from '@nestjs/common';
import { Collection, Db } from 'mongodb';
import {
  AccountabilityReport,
  AccountabilityReportBuilder,
  ActionCatalogue,
  PledgeSummary,
  ReportDimension,
  reportAt,
  ReportValidity,
  summarisePledge,
} from '@ledger/domain';
import { LedgerConfig } from '@ledger/config';
import { InjectReadModelDb, runWithoutDeadline } from '@ledger/database';
import {
  CATALOG_REFRESH_MS,
  lapseCutoff,
  MAX_INDEX_ENTRIES_PER_CALL,
  PLEDGE_SUMMARIES,
  PledgeFilters,
  PledgeWalk,
  PledgeSummaryDocument,
  ProjectionCheckpoints,
  ReadModelCatalog,
  ReportSnapshots,
  snapshotKeyOf,
  walkKey,
  WalkPosition,
  Watermark,
  watermarkKey,
} from '@ledger/read-models';
import { ProblemException } from '../problem';
import { PledgeFiltersDto } from './dto/pledge-filters.dto';

export interface Freshness {
  /** The events the answer reflects at least: per-partition offsets of the pledge-event topic. */
  watermark: Watermark;
  computedAt: string;
}

export type ListedPledge = PledgeSummary & { lastEventRecordedAt: string };

export interface ReportAnswer extends Freshness {
  report: AccountabilityReport;
  /** Until when the numbers hold for these events (a pledge lapsing or a deadline passing changes them). */
  validUntil: string | null;
  /** 'snapshot': compiled by the projector for all pledges; 'query': computed for this request. */
  source: 'snapshot' | 'query';
}

/**
 * A cursor: the generation it was read from, the last index entry the page examined (`<submittedAt>|<id>`) and
 * the bucket each partition's list goes on from (used only within the same generation). Pagination is by
 * position, so a pledge listed before the cursor is never listed again and none after it is skipped, however
 * many writes happen between pages.
 */
interface Cursor {
  g: string;
  p: string;
  /** The index list the hints are for (a cursor sent with other filters keeps its position, not its hints). */
  k?: string;
  h?: Record<number, string>;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(cursor: string): Cursor {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    // Cursors issued before the pledge index: [submittedAt, pledgeId].
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string'))
      return { g: '', p: `${value[0]}|${value[1]}` };
    if (
      value !== null &&
      typeof value === 'object' &&
      typeof (value as Cursor).g === 'string' &&
      typeof (value as Cursor).p === 'string' &&
      (value as Cursor).p.includes('|')
    ) {
      const { g, p, h, k } = value as Cursor;
      const hints =
        h !== null && typeof h === 'object'
          ? Object.fromEntries(
              Object.entries(h).filter(
                ([partition, bucket]) => /^\d{1,4}$/.test(partition) && /^(h|b\d{1,9})$/.test(String(bucket)),
              ),
            )
          : undefined;
      return { g, p, ...(typeof k === 'string' ? { k } : {}), ...(hints ? { h: hints } : {}) };
    }
  } catch {
    // fall through
  }
  throw new ProblemException(
    400,
    'invalid-cursor',
    'Invalid cursor',
    'cursor must be the nextCursor of a previous page.',
    {
      'invalid-params': [{ name: 'cursor', reason: 'not a cursor this API issued' }],
    },
  );
}

/**
 * Summaries a page reads at most beyond its own size, when filters the index lists do not decide (lapsed or
 * active, dates) reject candidates: a page may then hold fewer items than asked for, with a nextCursor to go
 * on. With MAX_INDEX_ENTRIES_PER_CALL (the index entries a page passes at most), bounds a page's cost.
 */
const PAGE_EXTRA_CANDIDATES = 200;

/** Reads the pledge-summary projection; time-dependent views (lapsed, on track) are computed at read time. */
@Injectable()
export class PledgeReadModel {
  private readonly catalog: ReadModelCatalog;
  private readonly checkpoints: ProjectionCheckpoints;
  private readonly snapshots: ReportSnapshots;

  constructor(
    @InjectReadModelDb() private readonly db: Db,
    private readonly config: LedgerConfig,
    private readonly catalogue: ActionCatalogue,
  ) {
    this.catalog = new ReadModelCatalog(db, CATALOG_REFRESH_MS);
    this.checkpoints = new ProjectionCheckpoints(db);
    this.snapshots = new ReportSnapshots(db, catalogue);
  }

  private async collection(): Promise<{ name: string; collection: Collection<PledgeSummaryDocument> }> {
    const name = await this.catalog.activeCollectionName(PLEDGE_SUMMARIES);
    return { name, collection: this.db.collection<PledgeSummaryDocument>(name) };
  }

  private summarise(doc: PledgeSummaryDocument, now: Date): ListedPledge {
    return {
      ...summarisePledge(doc.state, { now, lapseAfterDays: this.config.LAPSE_AFTER_DAYS }),
      lastEventRecordedAt: doc.lastEventRecordedAt,
    };
  }

  /** Read before the data, so the answer reflects at least these events. */
  private async freshness(generation: string): Promise<Freshness> {
    return {
      watermark: await this.checkpoints.watermark(generation),
      computedAt: new Date().toISOString(),
    };
  }

  /** The topic partitions whose index lists the generation has (its checkpoints name them; 0 always). */
  private static partitions(watermark: Watermark): number[] {
    return [...new Set([0, ...watermark.partitions.map((p) => p.partition)])];
  }

  private walk(name: string, watermark: Watermark, filters: PledgeFilters, now: Date, start?: WalkPosition) {
    return new PledgeWalk(
      this.db,
      name,
      this.db.collection<PledgeSummaryDocument>(name),
      PledgeReadModel.partitions(watermark),
      filters,
      lapseCutoff(now, this.config.LAPSE_AFTER_DAYS),
      start,
    );
  }

  /**
   * A page of the pledges matching `filters`, newest first, from the pledge index: the list of the most
   * selective filter, checked against the lists of the others, each candidate's summary read by `_id`. Costs
   * `limit` summary lookups when the index lists decide every filter, at most `limit + PAGE_EXTRA_CANDIDATES`
   * otherwise, plus a bucket read per ~50 index entries passed (at most MAX_INDEX_ENTRIES_PER_CALL).
   */
  async list(filters: PledgeFiltersDto, limit: number, cursor?: string) {
    // One generation for the whole answer: the watermark and the data stay together across a rebuild's switch.
    const { name } = await this.collection();
    const freshness = await this.freshness(name);
    const now = new Date(freshness.computedAt);
    const position = cursor ? decodeCursor(cursor) : undefined;
    const walk = this.walk(
      name,
      freshness.watermark,
      filters,
      now,
      position && {
        after: position.p,
        // Hints name buckets of one generation's list of one key: of use only for the very same list.
        ...(position.g === name && position.k === walkKey(filters) && position.h
          ? { hints: position.h }
          : {}),
      },
    );
    const items: ListedPledge[] = [];
    while (
      items.length < limit &&
      !walk.done &&
      walk.examined < limit + PAGE_EXTRA_CANDIDATES &&
      walk.walked < MAX_INDEX_ENTRIES_PER_CALL
    ) {
      const room = limit + PAGE_EXTRA_CANDIDATES - walk.examined;
      for (const doc of await walk.next(Math.min(limit - items.length, room)))
        items.push(this.summarise(doc, now));
    }
    return {
      items,
      nextCursor:
        walk.done || !walk.last
          ? null
          : encodeCursor({ g: name, p: walk.last, k: walkKey(filters), h: walk.hints() }),
      ...freshness,
    };
  }

  async one(pledgeId: string): Promise<ListedPledge | null> {
    const { collection } = await this.collection();
    const doc = await collection.findOne({ _id: pledgeId });
    return doc ? this.summarise(doc, new Date()) : null;
  }

  /**
   * The report by `dimension` over the pledges matching `filters`. With no filter or one filter value that has
   * its own snapshot (see ReportSnapshots), it is the snapshot the projector compiled for the active generation,
   * while that is still true (validUntil) and either reflects every event the read model does or is younger
   * than REPORT_SNAPSHOT_MAX_AGE_MS. Otherwise (several filters, dates, `fresh`, a value with few pledges, no
   * such snapshot) it is computed now: from the walked index list's summaries, or with no filter at all from
   * every summary.
   */
  async report(dimension: ReportDimension, filters: PledgeFiltersDto, fresh = false): Promise<ReportAnswer> {
    const { name, collection } = await this.collection();
    const freshness = await this.freshness(name);
    const key = snapshotKeyOf(filters);
    if (key !== undefined && !fresh) {
      const snapshot = await this.snapshots.get(name, dimension, key);
      const now = Date.parse(freshness.computedAt);
      if (
        snapshot &&
        snapshot.lapseAfterDays === this.config.LAPSE_AFTER_DAYS &&
        (snapshot.validUntil === null || now < Date.parse(snapshot.validUntil)) &&
        (watermarkKey(snapshot.watermark) === watermarkKey(freshness.watermark) ||
          now - Date.parse(snapshot.computedAt) < this.config.REPORT_SNAPSHOT_MAX_AGE_MS)
      ) {
        // What time alone changed since it was compiled (pledges lapsing, deadlines passing), applied now.
        const { report, next } = reportAt(snapshot.report, snapshot.transitions ?? [], new Date(now));
        return {
          report,
          watermark: snapshot.watermark,
          computedAt: snapshot.computedAt,
          validUntil: next ?? snapshot.validUntil,
          source: 'snapshot',
        };
      }
    }
    // Identical reports asked while one is being computed share it (a computation may take seconds), and it
    // runs to its end even if the client that asked first gave up: the others are waiting for it.
    const shared = JSON.stringify([name, dimension, filters]);
    let computing = this.computing.get(shared);
    if (!computing) {
      computing = runWithoutDeadline(() =>
        this.compute(name, collection, freshness, dimension, filters, key),
      );
      this.computing.set(shared, computing);
      void computing.catch(() => undefined).finally(() => this.computing.delete(shared));
    }
    return computing;
  }

  private readonly computing = new Map<string, Promise<ReportAnswer>>();

  private async compute(
    name: string,
    collection: Collection<PledgeSummaryDocument>,
    freshness: Freshness,
    dimension: ReportDimension,
    filters: PledgeFiltersDto,
    key: string | undefined,
  ): Promise<ReportAnswer> {
    const now = new Date(freshness.computedAt);
    // Streamed into per-group tallies: memory does not grow with the number of pledges.
    const builder = new AccountabilityReportBuilder(dimension, this.catalogue);
    const validity = new ReportValidity(now, this.config.LAPSE_AFTER_DAYS);
    const add = (doc: PledgeSummaryDocument) => {
      const summary = this.summarise(doc, now);
      builder.add(summary);
      validity.add(summary);
    };
    if (key === 'all') {
      // Every pledge: read them all at once rather than one lookup each.
      for await (const doc of collection.find({})) add(doc);
    } else {
      const walk = this.walk(name, freshness.watermark, filters, now);
      while (!walk.done) for (const doc of await walk.next(64)) add(doc);
    }
    return {
      report: builder.build(),
      ...freshness,
      validUntil: validity.until,
      source: 'query',
    };
  }
}
