import { randomUUID } from 'node:crypto';
import { Db, MongoClient } from 'mongodb';
import { AccountabilityReportBuilder, ImportedFrom, summarisePledge } from '@ledger/domain';
import { ACTOR, OTHER_ACTOR, someTerms } from '@ledger/domain/testing/pledge-fixtures';
import { MongoEventStore, PLEDGE_UPCASTERS, RecordedEvent } from '@ledger/event-store';
import { testMongoClient, uniqueName } from '@ledger/testing';
import { indexContents, indexEntry, PledgeIndexWriter } from './pledge-index';
import { lapseCutoff, PledgeFilters, PledgeWalk } from './pledge-query';
import { PledgeSummaryDocument } from './pledge-summary.document';
import { PledgeSummaryProjection } from './pledge-summary.projection';
import { REPORT_SNAPSHOT_FORMAT, ReportSnapshots } from './report-snapshots';

/**
 * The provenance filter end to end on the real MongoDB-wire server: events recorded in the event store (some
 * with an import's provenance), projected into summaries and the pledge index, listed by walking the index
 * lists and reported on from snapshots keyed by it.
 */
describe('provenance in the read model', () => {
  let client: MongoClient;
  let db: Db;
  let store: MongoEventStore;
  const generation = uniqueName('pledge_summaries_g');
  const meta = { principal: { id: 'admin-1', role: 'admin', name: 'Importer' }, correlationId: 'corr-1' };
  const LAPSE_AFTER_DAYS = 36500;
  const provenance = (row: number, source = 'WSIS Stocktaking 2024'): ImportedFrom => ({
    kind: 'import',
    importId: 'import-1',
    source: { name: source, retrievedOn: '2026-11-30' },
    originalAuthor: 'Secretariat',
    sourceRef: `ws-${row}`,
    row,
    rowHash: String(row).padStart(64, 'a'),
  });

  interface Pledge {
    id: string;
    submittedAt: string;
    imported: boolean;
    countries: string[];
    partition: number;
  }
  const pledges: Pledge[] = [];
  const histories = new Map<string, RecordedEvent[]>();

  /** Records a pledge's submission (imported: with an import's provenance) and returns its events. */
  async function submit(pledge: Pledge, actor = ACTOR): Promise<void> {
    const streamId = `pledge-${pledge.id}`;
    const recorded = await store.append(
      streamId,
      0,
      {
        type: 'PledgeSubmitted',
        payload: {
          pledgeId: pledge.id,
          actor,
          terms: someTerms({ countries: pledge.countries }),
          submittedAt: pledge.submittedAt,
        },
        occurredAt: pledge.submittedAt,
        ...(pledge.imported ? { provenance: provenance(pledges.length + 2) } : {}),
      },
      meta,
    );
    histories.set(pledge.id, [recorded]);
    pledges.push(pledge);
  }

  let projection: PledgeSummaryProjection;
  const summaries = () => db.collection<PledgeSummaryDocument>(generation);
  const cutoff = () => lapseCutoff(new Date(), LAPSE_AFTER_DAYS);

  /** Index entries the last `listed` passed in the list it walked. */
  let walked = 0;

  /** Every pledge matching `filters`, newest first, walked a few candidates at a time as a page would. */
  async function listed(filters: PledgeFilters): Promise<string[]> {
    const walk = new PledgeWalk(db, generation, summaries(), [0, 1], filters, cutoff());
    const ids: string[] = [];
    while (!walk.done) ids.push(...(await walk.next(3)).map((doc) => doc._id));
    walked = walk.walked;
    return ids;
  }

  const expected = (keep: (p: Pledge) => boolean) =>
    pledges
      .filter(keep)
      .sort((a, b) => (indexEntry(a.submittedAt, a.id) < indexEntry(b.submittedAt, b.id) ? 1 : -1))
      .map((p) => p.id);

  beforeAll(async () => {
    client = await testMongoClient();
    db = client.db(uniqueName('provenance'));
    store = new MongoEventStore(db, PLEDGE_UPCASTERS);
    projection = new PledgeSummaryProjection(summaries(), store, {
      index: new PledgeIndexWriter(db, generation),
    });
    // 14 pledges over two partitions: every third one imported (with submission dates years back), some in UG.
    for (let i = 0; i < 14; i++) {
      const imported = i % 3 === 0;
      await submit({
        id: randomUUID(),
        submittedAt: new Date(Date.UTC(imported ? 2018 : 2026, i % 12, 1 + i)).toISOString(),
        imported,
        countries: i % 2 === 0 ? ['KE'] : ['UG'],
        partition: i % 2,
      });
    }
    // A few one by one, the rest in one batch per partition (both of the projector's write paths).
    for (const pledge of pledges.slice(0, 4))
      await projection.applyAll(histories.get(pledge.id)!, undefined, pledge.partition);
    for (const partition of [0, 1])
      await projection.applyBatch(
        pledges
          .slice(4)
          .filter((p) => p.partition === partition)
          .map((p) => histories.get(p.id)!),
        partition,
      );
  });
  afterAll(async () => {
    await db.dropDatabase().catch(() => undefined);
    await client.close();
  });

  it('stores each summary with its provenance and lists it under it', async () => {
    const docs = await summaries().find({}).toArray();
    expect(docs).toHaveLength(pledges.length);
    for (const doc of docs) {
      const pledge = pledges.find((p) => p.id === doc._id)!;
      expect(doc.provenance).toBe(pledge.imported ? 'imported' : 'direct');
    }
    const contents = await indexContents(db, generation);
    const entries = (keep: (p: Pledge) => boolean) =>
      pledges
        .filter(keep)
        .map((p) => indexEntry(p.submittedAt, p.id))
        .sort()
        .reverse();
    expect(contents.get('provenance:imported')).toEqual(entries((p) => p.imported));
    expect(contents.get('provenance:direct')).toEqual(entries((p) => !p.imported));
  });

  it('lists pledges by provenance, alone and with other filters, newest first', async () => {
    expect(await listed({ provenance: 'imported' })).toEqual(expected((p) => p.imported));
    // Its own list is walked, not every pledge's.
    expect(walked).toBe(pledges.filter((p) => p.imported).length);
    expect(await listed({ provenance: 'direct' })).toEqual(expected((p) => !p.imported));
    expect(walked).toBe(pledges.filter((p) => !p.imported).length);
    expect(await listed({ provenance: 'imported', country: 'UG' })).toEqual(
      expected((p) => p.imported && p.countries.includes('UG')),
    );
    expect(await listed({ provenance: 'direct', status: 'active', actorType: 'government' })).toEqual(
      expected((p) => !p.imported),
    );
    // Walked before the status, which most pledges have.
    expect(await listed({ status: 'active', provenance: 'imported' })).toEqual(expected((p) => p.imported));
    expect(walked).toBe(pledges.filter((p) => p.imported).length);
    expect(await listed({ provenance: 'imported', submittedTo: '2019-12-31' })).toEqual(
      expected((p) => p.imported),
    );
    expect(await listed({ provenance: 'direct', submittedTo: '2019-12-31' })).toEqual([]);
  });

  it('keeps a pledge in its provenance list whatever is recorded later, imported or not', async () => {
    const direct = pledges.find((p) => !p.imported)!;
    const imported = pledges.find((p) => p.imported)!;
    const before = await indexContents(db, generation);
    for (const [pledge, withProvenance] of [
      [direct, true],
      [imported, false],
    ] as const) {
      const withdrawn = await store.append(
        `pledge-${pledge.id}`,
        1,
        {
          type: 'PledgeWithdrawn',
          payload: { pledgeId: pledge.id, reason: 'Superseded.', withdrawnAt: '2026-12-01T00:00:00.000Z' },
          ...(withProvenance ? { provenance: provenance(99, 'Another tracker') } : {}),
        },
        meta,
      );
      await projection.applyAll([withdrawn], undefined, pledge.partition);
    }
    const after = await indexContents(db, generation);
    expect(after.get('provenance:imported')).toEqual(before.get('provenance:imported'));
    expect(after.get('provenance:direct')).toEqual(before.get('provenance:direct'));
    const doc = await summaries().findOne({ _id: direct.id });
    expect(doc).toMatchObject({ provenance: 'direct', status: 'withdrawn' });
    expect(doc!.state.importedEvents).toBe(1);
    expect(await listed({ provenance: 'direct', status: 'withdrawn' })).toEqual([direct.id]);
    expect(await listed({ provenance: 'imported', status: 'withdrawn' })).toEqual([imported.id]);
  });

  it('compiles report snapshots keyed by provenance, equal to the report over the listed pledges', async () => {
    // A second actor, so the report by actor has more than one group.
    await submit(
      {
        id: randomUUID(),
        submittedAt: '2017-05-05T00:00:00.000Z',
        imported: true,
        countries: ['KE', 'UG'],
        partition: 0,
      },
      OTHER_ACTOR,
    );
    const last = pledges[pledges.length - 1];
    await projection.applyAll(histories.get(last.id)!, undefined, 0);
    const snapshots = new ReportSnapshots(db);
    const compiled = await snapshots.compile(generation, LAPSE_AFTER_DAYS, 1);
    expect(compiled.pledges).toBe(pledges.length);
    const imported = pledges.filter((p) => p.imported).length;
    for (const [key, count, importedCount] of [
      ['all', pledges.length, imported],
      ['provenance:imported', imported, imported],
      ['provenance:direct', pledges.length - imported, 0],
    ] as const) {
      const snapshot = await snapshots.get(generation, 'country', key);
      expect(snapshot).toMatchObject({ format: REPORT_SNAPSHOT_FORMAT, key, pledges: count });
      expect(snapshot!.report.totals).toMatchObject({ pledges: count, imported: importedCount });
    }
    // The snapshot is the report a request would compute from the list.
    const now = new Date();
    for (const provenance of ['imported', 'direct'] as const) {
      const builder = new AccountabilityReportBuilder('actor');
      const walk = new PledgeWalk(db, generation, summaries(), [0, 1], { provenance }, cutoff());
      while (!walk.done)
        for (const doc of await walk.next(5))
          builder.add(summarisePledge(doc.state, { now, lapseAfterDays: LAPSE_AFTER_DAYS }));
      const snapshot = await snapshots.get(generation, 'actor', `provenance:${provenance}`);
      expect(snapshot!.report).toEqual(builder.build());
    }
    const ug = (await snapshots.get(generation, 'country', 'provenance:imported'))!.report.groups.find(
      (g) => g.key === 'UG',
    );
    expect(ug).toMatchObject({
      pledges: pledges.filter((p) => p.imported && p.countries.includes('UG')).length,
      imported: pledges.filter((p) => p.imported && p.countries.includes('UG')).length,
    });
  });

  it('serves no snapshot compiled in an older format (without the imported counts)', async () => {
    const snapshots = new ReportSnapshots(db);
    await snapshots.compile(generation, LAPSE_AFTER_DAYS, 1);
    const raw = db.collection<{ _id: string }>('report_snapshots');
    await raw.updateOne({ _id: `${generation}:region` }, { $unset: { format: '' } });
    expect(await snapshots.get(generation, 'region')).toBeNull();
    expect(await snapshots.get(generation, 'country')).not.toBeNull();
    await snapshots.compile(generation, LAPSE_AFTER_DAYS, 1);
    expect(await snapshots.get(generation, 'region')).toMatchObject({ format: REPORT_SNAPSHOT_FORMAT });
    await snapshots.drop(generation);
    expect(await snapshots.get(generation, 'country', 'provenance:imported')).toBeNull();
  });
});
