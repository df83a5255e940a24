import { Injectable } from '@nestjs/common';
import { Collection, Db, Filter } from 'mongodb';
import {
  AccountabilityReport,
  AccountabilityReportBuilder,
  ActionCatalogue,
  PledgeSummary,
  ReportDimension,
  ReportValidity,
  summarisePledge,
} from '@ledger/domain';
import { LedgerConfig } from '@ledger/config';
import { InjectReadModelDb } from '@ledger/database';
import {
  CATALOG_REFRESH_MS,
  PLEDGE_SUMMARIES,
  PledgeSummaryDocument,
  ProjectionCheckpoints,
  ReadModelCatalog,
  ReportSnapshots,
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

const DAY_MS = 86_400_000;

function encodeCursor(doc: { submittedAt: string; _id: string }): string {
  return Buffer.from(JSON.stringify([doc.submittedAt, doc._id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string'))
      return value as [string, string];
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

  private toFilter(filters: PledgeFiltersDto, now: Date): Filter<PledgeSummaryDocument> {
    const filter: Filter<PledgeSummaryDocument> = {};
    if (filters.actor) filter.actorId = filters.actor;
    if (filters.actorType) filter.actorType = filters.actorType;
    if (filters.country) filter.countries = filters.country;
    if (filters.region) filter.regions = filters.region;
    if (filters.framework) filter.frameworks = filters.framework;
    if (filters.action) filter.actions = filters.action;
    if (filters.submittedFrom || filters.submittedTo) {
      filter.submittedAt = {
        ...(filters.submittedFrom ? { $gte: `${filters.submittedFrom}T00:00:00.000Z` } : {}),
        ...(filters.submittedTo ? { $lte: `${filters.submittedTo}T23:59:59.999Z` } : {}),
      };
    }
    if (filters.status === 'fulfilled' || filters.status === 'withdrawn') filter.status = filters.status;
    if (filters.status === 'active' || filters.status === 'lapsed') {
      const cutoff = new Date(now.getTime() - this.config.LAPSE_AFTER_DAYS * DAY_MS).toISOString();
      filter.status = 'active';
      filter.progressClock = filters.status === 'lapsed' ? { $lt: cutoff } : { $gte: cutoff };
    }
    return filter;
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

  async list(filters: PledgeFiltersDto, limit: number, cursor?: string) {
    // One generation for the whole answer: the watermark and the data stay together across a rebuild's switch.
    const { name, collection } = await this.collection();
    const freshness = await this.freshness(name);
    const now = new Date(freshness.computedAt);
    const filter = this.toFilter(filters, now);
    if (cursor) {
      const [submittedAt, id] = decodeCursor(cursor);
      Object.assign(filter, {
        $or: [{ submittedAt: { $lt: submittedAt } }, { submittedAt, _id: { $lt: id } }],
      });
    }
    const docs = await collection.find(filter).sort({ submittedAt: -1, _id: -1 }).limit(limit).toArray();
    const items = docs
      .map((d) => this.summarise(d, now))
      .filter((s) => !filters.status || s.status === filters.status);
    return {
      items,
      nextCursor: docs.length === limit ? encodeCursor(docs[docs.length - 1]) : null,
      ...freshness,
    };
  }

  async one(pledgeId: string): Promise<ListedPledge | null> {
    const { collection } = await this.collection();
    const doc = await collection.findOne({ _id: pledgeId });
    return doc ? this.summarise(doc, new Date()) : null;
  }

  /**
   * The report by `dimension` over the pledges matching `filters`. Without filters it is the snapshot the
   * projector compiled for the active generation, while that is still true (see ReportSnapshots) and either
   * reflects every event the read model does or is younger than REPORT_SNAPSHOT_MAX_AGE_MS; with filters, with
   * `fresh`, or without such a snapshot it is computed now from every matching pledge summary.
   */
  async report(dimension: ReportDimension, filters: PledgeFiltersDto, fresh = false): Promise<ReportAnswer> {
    const { name, collection } = await this.collection();
    const unfiltered = Object.values(filters).every((value) => value === undefined);
    const freshness = await this.freshness(name);
    if (unfiltered && !fresh) {
      const snapshot = await this.snapshots.get(name, dimension);
      const now = Date.parse(freshness.computedAt);
      if (
        snapshot &&
        snapshot.lapseAfterDays === this.config.LAPSE_AFTER_DAYS &&
        (snapshot.validUntil === null || now < Date.parse(snapshot.validUntil)) &&
        (watermarkKey(snapshot.watermark) === watermarkKey(freshness.watermark) ||
          now - Date.parse(snapshot.computedAt) < this.config.REPORT_SNAPSHOT_MAX_AGE_MS)
      ) {
        return {
          report: snapshot.report,
          watermark: snapshot.watermark,
          computedAt: snapshot.computedAt,
          validUntil: snapshot.validUntil,
          source: 'snapshot',
        };
      }
    }
    const now = new Date(freshness.computedAt);
    // Streamed into per-group tallies: memory does not grow with the number of pledges.
    const builder = new AccountabilityReportBuilder(dimension, this.catalogue);
    const validity = new ReportValidity(now, this.config.LAPSE_AFTER_DAYS);
    for await (const doc of collection.find(this.toFilter(filters, now))) {
      const summary = this.summarise(doc, now);
      if (filters.status && summary.status !== filters.status) continue;
      builder.add(summary);
      validity.add(summary);
    }
    return {
      report: builder.build(),
      ...freshness,
      validUntil: validity.until,
      source: 'query',
    };
  }
}
