import { Kafka } from 'kafkajs';
import { eventKey, hashEvent, MongoEventStore, PLEDGE_UPCASTERS } from '@ledger/event-store';
import { encodeEvent } from '@ledger/messaging';
import {
  PLEDGE_SUMMARIES,
  PledgeSummaryDocument,
  PledgeSummaryProjection,
  ProjectionCheckpoints,
  ProjectionConsumer,
  ReadModelCatalog,
  rebuildPledgeSummaries,
  indexContents,
  ReportSnapshots,
  UnprojectableEventError,
} from '@ledger/read-models';
import { eventually, testKafka, uniqueName } from '@ledger/testing';
import { HttpResult, LedgerApiHarness, samplePledge } from './support/ledger-api.harness';

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

/** Relay → Kafka → projector → read model, against the real broker and MongoDB-wire server. */
describe('pledge-summary projection', () => {
  const api = new LedgerApiHarness();
  let kafka: Kafka;
  let store: MongoEventStore;
  let org: { id: string; apiKey: string };
  let live: ProjectionConsumer;
  const groupId = uniqueName('projector');

  const consumer = () =>
    new ProjectionConsumer(
      kafka,
      api.readDb,
      store,
      {
        topic: api.topic,
        deadLetterTopic: `${api.topic}.dead-letter`,
        groupId,
        maxAttempts: 2,
        upcasters: PLEDGE_UPCASTERS,
      },
      quiet,
    );

  async function liveDocs(): Promise<PledgeSummaryDocument[]> {
    const name = await new ReadModelCatalog(api.readDb).activeCollectionName(PLEDGE_SUMMARIES);
    return api.readDb.collection<PledgeSummaryDocument>(name).find({}).sort({ _id: 1 }).toArray();
  }

  /** Waits until every pledge in the store is projected at its current version. */
  async function projected(): Promise<PledgeSummaryDocument[]> {
    return eventually(async () => {
      const heads = await api.db
        .collection('events')
        .aggregate<{ _id: string; version: number }>([{ $group: { _id: '$streamId', version: { $sum: 1 } } }])
        .toArray();
      const docs = await liveDocs();
      const byId = new Map(docs.map((d) => [`pledge-${d._id}`, d.version]));
      return heads.every((h) => byId.get(h._id) === h.version) && docs.length === heads.length
        ? docs
        : undefined;
    }, 60000);
  }

  async function submitWithProgress(): Promise<string> {
    const submitted = await api.request('POST', '/pledges', { key: org.apiKey, body: samplePledge() });
    const pledgeId = submitted.body.pledgeId as string;
    await api.request('POST', `/pledges/${pledgeId}/progress`, {
      key: org.apiKey,
      body: { targetId: 'women-online', value: 34, asOf: '2026-03-31' },
    });
    return pledgeId;
  }

  beforeAll(async () => {
    await api.start({ RELAY_IN_PROCESS: 'true', RELAY_POLL_INTERVAL_MS: '20' });
    kafka = testKafka();
    store = new MongoEventStore(api.db, PLEDGE_UPCASTERS);
    org = await api.registerOrganisation();
    for (let i = 0; i < 5; i++) await submitWithProgress();
    live = consumer();
    await live.start();
  });
  afterAll(async () => {
    await live?.stop();
    await api.stop();
  });

  it('projects every recorded event, and states the events it reflects', async () => {
    const docs = await projected();
    expect(docs).toHaveLength(5);
    for (const doc of docs) expect(doc.state.progressReports).toHaveLength(1);
    const watermark = await new ProjectionCheckpoints(api.readDb).watermark(
      await new ReadModelCatalog(api.readDb).activeCollectionName(PLEDGE_SUMMARIES),
    );
    expect(watermark.eventsApplied).toBe(10);
    expect(watermark.partitions.reduce((n, p) => n + p.offset, 0)).toBe(10);

    const report = await api.request('GET', '/reports/country');
    expect(report.status).toBe(200);
    expect(report.body.totals.pledges).toBe(5);
    expect(report.body.groups.find((g: { key: string }) => g.key === 'KE').pledges).toBe(5);
    expect(report.body.watermark.eventsApplied).toBe(10);
    const summary = await api.request('GET', `/pledges/${docs[0]._id}/summary`);
    expect(summary.body).toMatchObject({ pledgeId: docs[0]._id, version: 2, status: 'active' });
    const unknown = await api.request('GET', '/pledges/00000000-0000-4000-8000-000000000000/summary');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    const csv = await api.request('GET', '/reports/action?format=csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(String(csv.body).split('\n')[0]).toContain('dimension,key,label,pledges');
  });

  it('serves unfiltered reports from the compiled snapshot while it holds, filtered ones from the summaries', async () => {
    await projected();
    const generation = await new ReadModelCatalog(api.readDb).activeCollectionName(PLEDGE_SUMMARIES);
    const compiled = await new ReportSnapshots(api.readDb).compile(generation, 180);
    expect(compiled.pledges).toBe(5);

    const snapshot = await api.request('GET', '/reports/action');
    expect(snapshot.body).toMatchObject({ source: 'snapshot', computedAt: compiled.computedAt });
    expect(snapshot.body.watermark).toEqual(compiled.watermark);
    const computed = await api.request('GET', '/reports/action?fresh=true');
    expect(computed.body.source).toBe('query');
    expect(computed.body.groups).toEqual(snapshot.body.groups);
    expect(computed.body.totals).toEqual(snapshot.body.totals);
    expect(computed.body.validUntil).toBe(snapshot.body.validUntil);
    expect((await api.request('GET', '/reports/action?country=KE')).body.source).toBe('query');
    // Filter values with enough pledges get snapshots of their own (here: every value).
    await new ReportSnapshots(api.readDb).compile(generation, 180, 1);
    for (const query of ['country=KE', 'status=active', 'framework=gender-caucus']) {
      const filtered = await api.request('GET', `/reports/action?${query}`);
      const fresh = await api.request('GET', `/reports/action?${query}&fresh=true`);
      expect([filtered.body.source, fresh.body.source]).toEqual(['snapshot', 'query']);
      expect(filtered.body.groups).toEqual(fresh.body.groups);
      expect(filtered.body.totals).toEqual(fresh.body.totals);
    }
    expect((await api.request('GET', '/reports/action?country=KE&status=active')).body.source).toBe('query');
    await new ReportSnapshots(api.readDb).compile(generation, 180);
    expect((await api.request('GET', '/reports/action?country=KE')).body.source).toBe('query');
    const csv = await api.request('GET', '/reports/action?format=csv');
    expect(csv.headers.get('x-ledger-report-source')).toBe('snapshot');

    // Once a pledge could have lapsed or a deadline passed, the snapshot is no longer served.
    await api.readDb
      .collection<{ _id: string }>('report_snapshots')
      .updateOne(
        { _id: `${generation}:action` },
        { $set: { validUntil: new Date(Date.now() - 1).toISOString() } },
      );
    expect((await api.request('GET', '/reports/action')).body.source).toBe('query');
    expect((await api.request('GET', '/reports/country')).body.source).toBe('snapshot');

    // A snapshot behind the read model is served only while it is young (the compiler keeps it so).
    const snapshots = api.readDb.collection<{ _id: string }>('report_snapshots');
    await snapshots.updateOne({ _id: `${generation}:country` }, { $set: { 'watermark.partitions': [] } });
    expect((await api.request('GET', '/reports/country')).body.source).toBe('snapshot');
    await snapshots.updateOne(
      { _id: `${generation}:country` },
      { $set: { computedAt: new Date(Date.now() - 3_600_000).toISOString() } },
    );
    const behind = await api.request('GET', '/reports/country');
    expect(behind.body.source).toBe('query');
    expect(behind.body.totals.pledges).toBe(5);
  });

  it('applies many pledges in one bulk write, each group on its own', async () => {
    const live = await projected();
    const streamIds = live.map((doc) => `pledge-${doc._id}`);
    const histories = await Promise.all(streamIds.map((id) => store.readStream(id)));
    const projection = new PledgeSummaryProjection(
      api.readDb.collection<PledgeSummaryDocument>(uniqueName('summaries_batch')),
      store,
    );
    const bogus = { ...histories[0][0], streamId: 'actor-x' };
    const first = await projection.applyBatch([...histories.map((h) => [h[0]]), [bogus]]);
    expect(first.slice(0, -1)).toEqual(histories.map(() => ({ applied: 1, duplicates: 0, gapsFilled: 0 })));
    expect(first[first.length - 1]).toBeInstanceOf(UnprojectableEventError);
    // Whole histories again: the submissions are duplicates (their inserts fail and are retried alone).
    const second = await projection.applyBatch(histories);
    expect(second).toEqual(histories.map((h) => ({ applied: h.length - 1, duplicates: 1, gapsFilled: 0 })));
    const third = await projection.applyBatch(histories);
    expect(third).toEqual(histories.map((h) => ({ applied: 0, duplicates: h.length, gapsFilled: 0 })));
    expect(await projection.collection.find({}).sort({ _id: 1 }).toArray()).toEqual(live);
    await projection.collection.drop();
  });

  it('does not double-count events delivered twice', async () => {
    const before = await projected();
    const events = await api.db.collection('events').find({}).toArray();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: api.topic,
      messages: events.map(({ _id: _key, ...recorded }) => encodeEvent(recorded as never)),
    });
    await producer.disconnect();
    await eventually(async () => (live.stats.duplicates >= events.length ? true : undefined), 30000);
    expect(await liveDocs()).toEqual(before);
  });

  it('fills a skipped version from the event store instead of ignoring it', async () => {
    const pledgeId = await submitWithProgress();
    await projected();
    // Versions 3 and 4 reach the store, but only 4 reaches the outbox, as if the publication of 3 had been
    // lost: the projector sees 2 then 4.
    const [second] = await store.readStream(`pledge-${pledgeId}`, { toVersion: 2 }).then((e) => e.slice(1));
    let prevHash = second.hash;
    for (const version of [3, 4]) {
      const now = new Date().toISOString();
      const unhashed = {
        eventId: uniqueName('evt'),
        streamId: `pledge-${pledgeId}`,
        version,
        type: 'ProgressReported',
        schemaVersion: 1,
        occurredAt: now,
        recordedAt: now,
        principal: { id: org.id, role: 'organisation', name: 'x' },
        correlationId: 'gap-test',
        causationId: 'gap-test',
        idempotencyKey: null,
        payload: {
          pledgeId,
          reportId: `r-v${version}`,
          targetId: 'gender-gap',
          value: 15 - version,
          asOf: '2026-04-30',
          narrative: '',
          evidence: [],
          reportedAt: now,
        },
        prevHash,
      };
      prevHash = hashEvent(unhashed);
      const key = eventKey(`pledge-${pledgeId}`, version);
      await api.db.collection('events').insertOne({ _id: key as never, ...unhashed, hash: prevHash });
      if (version === 4) {
        await api.db.collection('outbox').insertOne({
          _id: key as never,
          streamId: `pledge-${pledgeId}`,
          version,
          recordedAt: now,
          claimedAt: new Date(),
        });
      }
    }
    const docs = await projected();
    const doc = docs.find((d) => d._id === pledgeId)!;
    expect(doc.version).toBe(4);
    expect(doc.state.progressReports.map((r) => r.reportId)).toEqual(
      expect.arrayContaining(['r-v3', 'r-v4']),
    );
    expect(live.stats.gapsFilled).toBeGreaterThanOrEqual(1);
  });

  it('parks poison events in the dead-letter topic, counts them, and carries on', async () => {
    const [sample] = await api.db.collection('events').find({}).limit(1).toArray();
    const { _id: _key, ...recorded } = sample;
    const tampered = { ...encodeEvent(recorded as never) };
    // An edit in transit: the recorded time no longer matches the hash.
    tampered.value = String(tampered.value).replace('"recordedAt":"', '"recordedAt":"1999');
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: api.topic,
      messages: [{ key: 'garbage', value: 'not json at all' }, tampered],
    });
    await producer.disconnect();
    await eventually(
      async () => ((await api.readDb.collection('dead_letters').countDocuments()) === 2 ? true : undefined),
      30000,
    );

    const parked: string[] = [];
    const reader = kafka.consumer({ groupId: uniqueName('dlt_reader') });
    await reader.connect();
    await reader.subscribe({ topic: `${api.topic}.dead-letter`, fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => void parked.push(String(message.headers?.['dead-letter-reason'])),
    });
    await eventually(async () => (parked.length === 2 ? true : undefined), 30000);
    await reader.disconnect();
    expect(parked.join('\n')).toMatch(/not JSON/);
    expect(parked.join('\n')).toMatch(/hash/);

    await submitWithProgress();
    await projected();
  });

  it('ends equal to a full replay after being stopped mid-stream and restarted', async () => {
    await live.stop();
    const writes = Array.from({ length: 6 }, () => submitWithProgress());
    const restarted = consumer();
    await restarted.start();
    await new Promise((r) => setTimeout(r, 300));
    await restarted.stop(); // stopped while events are still arriving
    await Promise.all(writes);
    live = consumer();
    await live.start();
    const projectedDocs = await projected();

    const rebuild = await rebuildPledgeSummaries(
      kafka,
      api.readDb,
      store,
      {
        topic: api.topic,
        deadLetterTopic: `${api.topic}.dead-letter`,
        maxAttempts: 2,
        upcasters: PLEDGE_UPCASTERS,
        switchReaders: false,
      },
      quiet,
    );
    const rebuilt = await api.readDb
      .collection<PledgeSummaryDocument>(rebuild.generation)
      .find({})
      .sort({ _id: 1 })
      .toArray();
    expect(rebuilt).toEqual(projectedDocs);
    // The pledge index too: the same lists, with the same pledges in the same order.
    const active = await new ReadModelCatalog(api.readDb).activeCollectionName(PLEDGE_SUMMARIES);
    const liveIndex = await indexContents(api.readDb, active);
    expect(liveIndex.get('all')).toHaveLength(projectedDocs.length);
    expect(await indexContents(api.readDb, rebuild.generation)).toEqual(liveIndex);
  });

  it('lists from the pledge index: each filter, and pages that skip and repeat nothing while writers go on', async () => {
    const other = await api.registerOrganisation(uniqueName('org'), 'private-sector', 'UG');
    const ug = await api.request('POST', '/pledges', {
      key: other.apiKey,
      body: samplePledge({
        countries: ['UG'],
        actions: [{ framework: 'gender-caucus', action: 'capacity-building' }],
      }),
    });
    expect(ug.status).toBe(201);
    const all = await projected();
    const ids = (docs: PledgeSummaryDocument[]) =>
      docs
        .sort((a, b) =>
          a.submittedAt < b.submittedAt ? 1 : a.submittedAt > b.submittedAt ? -1 : a._id < b._id ? 1 : -1,
        )
        .map((d) => d._id);
    /** Every page of a list (from `start`, a cursor, if given): the pledge ids in order. */
    const listed = async (query: string, start?: string) => {
      const items: string[] = [];
      let cursor: string | null = start ?? null;
      do {
        const page: HttpResult = await api.request(
          'GET',
          `/pledges?limit=4${query}${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(page.status).toBe(200);
        items.push(...page.body.items.map((i: { pledgeId: string }) => i.pledgeId));
        cursor = page.body.nextCursor;
      } while (cursor);
      return items;
    };
    expect(await listed('')).toEqual(ids(all));
    expect(await listed('&country=UG')).toEqual([ug.body.pledgeId]);
    expect(await listed(`&actor=${other.id}`)).toEqual([ug.body.pledgeId]);
    expect(await listed('&actorType=private-sector&country=UG')).toEqual([ug.body.pledgeId]);
    expect(await listed('&country=KE')).toEqual(ids(all.filter((d) => d.countries.includes('KE'))));
    expect(await listed('&action=wsis10-gender-gap/access&status=active')).toEqual(
      ids(all.filter((d) => d.actions.includes('wsis10-gender-gap/access'))),
    );
    expect(await listed('&status=lapsed')).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    expect(await listed(`&submittedFrom=${today}&submittedTo=${today}`)).toEqual(ids(all));
    expect(await listed('&submittedTo=2020-01-01')).toEqual([]);
    expect(
      (await api.request('GET', '/pledges?submittedFrom=0050-06-14&submittedTo=2400-02-29')).status,
    ).toBe(200);
    for (const bad of ['submittedFrom=2026-02-30', 'submittedTo=2026-13-01', 'submittedTo=2100-02-29']) {
      const refused = await api.request('GET', `/pledges?${bad}`);
      expect(refused.status).toBe(400);
      expect(refused.body['invalid-params'][0].name).toContain(bad.split('=')[0]);
    }

    // A cursor is a position: sent with other filters it lists what those match below it (its bucket hints,
    // for another list, are not used), and hints naming buckets a list does not have lose nothing.
    const everything = ids(all);
    const first = await api.request('GET', '/pledges?limit=2');
    const below = (list: string[]) =>
      list.filter((id) => everything.indexOf(id) > everything.indexOf(everything[1]));
    const decoded = JSON.parse(Buffer.from(first.body.nextCursor, 'base64url').toString());
    const forged = Buffer.from(
      JSON.stringify({ ...decoded, h: Object.fromEntries(Object.keys(decoded.h).map((p) => [p, 'b999'])) }),
    ).toString('base64url');
    expect(await listed('', forged)).toEqual(below(everything));
    const keFromCursor = await listed('&country=KE', first.body.nextCursor);
    expect(keFromCursor).toEqual(below(ids(all.filter((d) => d.countries.includes('KE')))));

    // Withdrawn: out of the active list, into the withdrawn one.
    const withdrawn = all.find((d) => d.actorId === org.id)!._id;
    const head = await api.request('GET', `/pledges/${withdrawn}`);
    const w = await api.request('POST', `/pledges/${withdrawn}/withdrawal`, {
      key: org.apiKey,
      headers: { 'if-match': head.headers.get('etag')! },
      body: { reason: 'Funding was not renewed.' },
    });
    expect(w.status).toBe(201);
    await eventually(async () => {
      const page = await api.request('GET', '/pledges?status=withdrawn');
      return page.body.items.length === 1 ? page : undefined;
    }, 30000);
    expect(await listed('&status=withdrawn')).toEqual([withdrawn]);
    expect(await listed('&status=active')).not.toContain(withdrawn);

    // Paging through every pledge while new pledges and progress reports arrive between the pages: each pledge
    // there at the start is listed exactly once, in order.
    const before = ids(await projected());
    const seen: string[] = [];
    let cursor: string | null = null;
    let round = 0;
    do {
      const page: HttpResult = await api.request(
        'GET',
        `/pledges?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.body.items.map((i: { pledgeId: string }) => i.pledgeId));
      cursor = page.body.nextCursor;
      if (round++ < 4) {
        await submitWithProgress();
        await api.request('POST', `/pledges/${before[before.length - 1]}/progress`, {
          key: org.apiKey,
          body: { targetId: 'gender-gap', value: 12 + round, asOf: '2026-04-30' },
        });
        await projected();
      }
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => before.includes(id))).toEqual(before);
  });

  it('rebuild switches readers to the new generation atomically and the reports stay the same', async () => {
    const before = await api.request('GET', '/reports/action');
    const rebuild = await rebuildPledgeSummaries(
      kafka,
      api.readDb,
      store,
      {
        topic: api.topic,
        deadLetterTopic: `${api.topic}.dead-letter`,
        maxAttempts: 2,
        upcasters: PLEDGE_UPCASTERS,
      },
      quiet,
    );
    expect(rebuild.switched).toBe(true);
    expect(await new ReadModelCatalog(api.readDb).activeCollectionName(PLEDGE_SUMMARIES)).toBe(
      rebuild.generation,
    );
    const after = await api.request('GET', '/reports/action');
    expect(after.body.groups).toEqual(before.body.groups);
    expect(after.body.totals).toEqual(before.body.totals);
  });

  it('a rebuild while writes go on hands over to the live projector: the result equals a full replay', async () => {
    let writing = true;
    const writer = (async () => {
      let n = 0;
      while (writing) {
        await submitWithProgress();
        n += 1;
      }
      return n;
    })();
    const options = {
      topic: api.topic,
      deadLetterTopic: `${api.topic}.dead-letter`,
      maxAttempts: 2,
      upcasters: PLEDGE_UPCASTERS,
    };
    const rebuild = await rebuildPledgeSummaries(kafka, api.readDb, store, options, quiet);
    expect(rebuild.switched).toBe(true);
    await new Promise((r) => setTimeout(r, 1500)); // the live projector writes the new generation meanwhile
    writing = false;
    expect(await writer).toBeGreaterThan(0);
    const live = await projected(); // the active generation, at every pledge's current version
    const replay = await rebuildPledgeSummaries(
      kafka,
      api.readDb,
      store,
      { ...options, switchReaders: false },
      quiet,
    );
    const replayed = await api.readDb
      .collection<PledgeSummaryDocument>(replay.generation)
      .find({})
      .sort({ _id: 1 })
      .toArray();
    expect(replayed).toEqual(live);
    expect(await indexContents(api.readDb, replay.generation)).toEqual(
      await indexContents(api.readDb, rebuild.generation),
    );
  });
});
