import { Db, MongoClient } from 'mongodb';
import { testMongoClient, uniqueName } from '@ledger/testing';
import { ExpectedVersionConflictError } from './expected-version-conflict.error';
import { eventKey, MongoEventStore } from './mongo-event-store';
import { GENESIS_HASH } from './recorded-event';

const meta = { principal: { id: 'org-1', role: 'organisation', name: 'Org One' }, correlationId: 'corr-1' };

describe('MongoEventStore (real MongoDB-wire server)', () => {
  let client: MongoClient;
  let db: Db;
  let store: MongoEventStore;

  beforeAll(async () => {
    client = await testMongoClient();
    db = client.db(uniqueName('event_store'));
    store = new MongoEventStore(db);
    await store.ensureIndexes();
  });
  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  it('appends with chained hashes and reads the stream back in order', async () => {
    const stream = uniqueName('pledge');
    await store.append(stream, 0, [{ type: 'A', payload: { n: 1 } }], meta);
    await store.append(
      stream,
      1,
      [
        { type: 'B', payload: { n: 2 } },
        { type: 'C', payload: { n: 3 } },
      ],
      meta,
    );
    const events = await store.readStream(stream);
    expect(events.map((e) => [e.version, e.type])).toEqual([
      [1, 'A'],
      [2, 'B'],
      [3, 'C'],
    ]);
    expect(events[0].prevHash).toBe(GENESIS_HASH);
    expect(events[1].prevHash).toBe(events[0].hash);
    expect(events[0].principal).toEqual(meta.principal);
    expect((await store.verifyStream(stream)).valid).toBe(true);
  });

  it('lets exactly one of many concurrent writers at the same expected version win', async () => {
    const stream = uniqueName('pledge');
    await store.append(stream, 0, [{ type: 'A', payload: {} }], meta);
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        store.append(stream, 1, [{ type: 'B', payload: { writer: i } }], meta),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejections = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejections).toHaveLength(7);
    for (const r of rejections) {
      expect(r.reason).toBeInstanceOf(ExpectedVersionConflictError);
      expect(r.reason).toMatchObject({ expectedVersion: 1, actualVersion: 2 });
    }
    expect(await store.streamVersion(stream)).toBe(2);
  });

  it('refuses an expected version behind or ahead of the stream', async () => {
    const stream = uniqueName('pledge');
    await store.append(stream, 0, [{ type: 'A', payload: {} }], meta);
    await expect(store.append(stream, 0, [{ type: 'A', payload: {} }], meta)).rejects.toMatchObject({
      actualVersion: 1,
    });
    await expect(store.append(stream, 5, [{ type: 'A', payload: {} }], meta)).rejects.toMatchObject({
      actualVersion: 1,
    });
  });

  it('detects an event edited directly in the database and names the broken link', async () => {
    const stream = uniqueName('pledge');
    await store.append(stream, 0, [{ type: 'A', payload: { amount: 100 } }], meta);
    await store.append(stream, 1, [{ type: 'B', payload: { amount: 200 } }], meta);
    await db
      .collection('events')
      .updateOne({ streamId: stream, version: 1 }, { $set: { 'payload.amount': 1 } });
    const result = await store.verifyStream(stream);
    expect(result.valid).toBe(false);
    expect(result.firstBreak).toMatchObject({ kind: 'hash-mismatch', streamId: stream, version: 1 });
    const all = [];
    for await (const verification of store.verifyAll()) all.push(verification);
    expect(all.filter((v) => !v.valid).map((v) => v.streamId)).toContain(stream);
  });

  it('offers unpublished events to the relay without ever putting version n+1 before n', async () => {
    const stream = uniqueName('pledge');
    await store.append(stream, 0, [{ type: 'A', payload: {} }], meta);
    await store.append(stream, 1, [{ type: 'B', payload: {} }], meta);
    const first = (await store.nextToPublish(1000)).filter((e) => e.streamId === stream);
    expect(first.map((e) => e.version)).toEqual([1, 2]);
    await store.markPublished([first[0]]);
    const second = (await store.nextToPublish(1000)).filter((e) => e.streamId === stream);
    expect(second.map((e) => e.version)).toEqual([2]);
    await store.markPublished([second[0]]);
    expect((await store.nextToPublish(1000)).filter((e) => e.streamId === stream)).toEqual([]);
  });

  it('notices versions another process appended: a stale cached head costs a conflict, never a fork', async () => {
    const stream = uniqueName('pledge');
    const other = new MongoEventStore(db);
    await store.append(stream, 0, [{ type: 'A', payload: {} }], meta);
    await other.append(stream, 1, [{ type: 'B', payload: {} }], meta);
    expect((await store.head(stream)).version).toBe(1); // this process's cached view
    await store.markPublished([{ streamId: stream, version: 2 }]); // the relay already took v2 out of the outbox
    await expect(store.append(stream, 1, [{ type: 'C', payload: {} }], meta)).rejects.toMatchObject({
      actualVersion: 2,
    });
    expect((await store.append(stream, 2, [{ type: 'C', payload: {} }], meta))[0].version).toBe(3);
    expect((await store.verifyStream(stream)).valid).toBe(true);
  });

  it('clears a version claimed by a writer that died before storing its event, once the claim is old', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const clocked = new MongoEventStore(db, undefined, () => now);
    const stream = uniqueName('pledge');
    await clocked.append(stream, 0, [{ type: 'A', payload: {} }], meta);
    await clocked.markPublished([{ streamId: stream, version: 1 }]);
    await db.collection('outbox').insertOne({
      _id: eventKey(stream, 2) as never,
      streamId: stream,
      version: 2,
      recordedAt: now.toISOString(),
      claimedAt: now,
    });
    await expect(clocked.append(stream, 1, [{ type: 'B', payload: {} }], meta)).rejects.toBeInstanceOf(
      ExpectedVersionConflictError,
    );
    now = new Date(now.getTime() + 61_000);
    expect((await clocked.nextToPublish(100)).filter((e) => e.streamId === stream)).toEqual([]);
    expect((await clocked.append(stream, 1, [{ type: 'B', payload: {} }], meta))[0].version).toBe(2);
  });
});
