import { Db, MongoClient } from 'mongodb';
import { testMongoClient, uniqueName } from '@ledger/testing';
import { ExpectedVersionConflictError } from './expected-version-conflict.error';
import { eventKey, MongoEventStore, OutboxClaim } from './mongo-event-store';
import { GENESIS_HASH, RecordedEvent } from './recorded-event';

const meta = { principal: { id: 'org-1', role: 'organisation', name: 'Org One' }, correlationId: 'corr-1' };
const event = (type: string, payload: unknown = {}) => ({ type, payload });

/** Settles everything the relay would: publishes (marks) what is ready until the outbox is empty. */
async function drain(store: MongoEventStore): Promise<RecordedEvent[]> {
  const published: RecordedEvent[] = [];
  for (let round = 0; round < 1000; round++) {
    const batch = await store.nextToPublish(1000);
    if (batch.length === 0 && (await store.outbox.countDocuments({})) === 0) return published;
    published.push(...batch.map((p) => p.event));
    await store.markPublished(batch);
    if (batch.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('outbox did not drain');
}

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
    await store.append(stream, 0, event('A', { n: 1 }), meta);
    await store.append(stream, 1, event('B', { n: 2 }), meta);
    await store.append(stream, 2, event('C', { n: 3 }), meta);
    const events = await store.readStream(stream);
    expect(events.map((e) => [e.version, e.type])).toEqual([
      [1, 'A'],
      [2, 'B'],
      [3, 'C'],
    ]);
    expect(events[0].prevHash).toBe(GENESIS_HASH);
    expect(events[1].prevHash).toBe(events[0].hash);
    expect(events[0].principal).toEqual(meta.principal);
    expect(events[0]).not.toHaveProperty('claim');
    expect((await store.verifyStream(stream)).valid).toBe(true);
  });

  it('finds the head of a stream it never wrote by key lookups alone', async () => {
    const stream = uniqueName('pledge');
    for (let v = 0; v < 37; v++) await store.append(stream, v, event('P', { v }), meta);
    const cold = new MongoEventStore(db);
    const head = await cold.head(stream);
    expect(head.version).toBe(37);
    expect(head.hash).toBe((await store.readStream(stream, { fromVersion: 37 }))[0].hash);
    expect((await cold.head(uniqueName('pledge'))).version).toBe(0);
    expect((await cold.append(stream, 37, event('Q'), meta)).version).toBe(38);
  });

  it('lets exactly one of many concurrent writers at the same expected version win', async () => {
    const stream = uniqueName('pledge');
    await store.append(stream, 0, event('A'), meta);
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => store.append(stream, 1, event('B', { writer: i }), meta)),
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
    await store.append(stream, 0, event('A'), meta);
    await expect(store.append(stream, 0, event('A'), meta)).rejects.toMatchObject({ actualVersion: 1 });
    await expect(store.append(stream, 5, event('A'), meta)).rejects.toMatchObject({ actualVersion: 1 });
  });

  it('detects an event edited directly in the database and names the broken link', async () => {
    const stream = uniqueName('pledge');
    await store.append(stream, 0, event('A', { amount: 100 }), meta);
    await store.append(stream, 1, event('B', { amount: 200 }), meta);
    await db
      .collection('events')
      .updateOne({ _id: eventKey(stream, 1) as never }, { $set: { 'payload.amount': 1 } });
    const result = await store.verifyStream(stream);
    expect(result.valid).toBe(false);
    expect(result.firstBreak).toMatchObject({ kind: 'hash-mismatch', streamId: stream, version: 1 });
    const all = [];
    for await (const verification of store.verifyAll()) all.push(verification);
    expect(all.filter((v) => !v.valid).map((v) => v.streamId)).toContain(stream);
  });

  it('offers unpublished events to the relay without ever putting version n+1 before n', async () => {
    const stream = uniqueName('pledge');
    await store.append(stream, 0, event('A'), meta);
    await store.append(stream, 1, event('B'), meta);
    const mine = async () => (await store.nextToPublish(1000)).filter((p) => p.event.streamId === stream);
    const first = await mine();
    expect(first.map((p) => p.event.version)).toEqual([1, 2]);
    await store.markPublished([first[0]]);
    const second = await mine();
    expect(second.map((p) => p.event.version)).toEqual([2]);
    await store.markPublished([second[0]]);
    expect(await mine()).toEqual([]);
  });

  it('a stale cached head costs a conflict, never a fork, and its lost claim is neither kept nor published', async () => {
    const stream = uniqueName('pledge');
    const other = new MongoEventStore(db);
    await store.append(stream, 0, event('A'), meta);
    await other.append(stream, 1, event('B'), meta);
    expect((await store.head(stream)).version).toBe(1); // this process's cached view
    await drain(store); // the relay published v1 and v2: their claims are gone, so v2's key is free again
    await expect(store.append(stream, 1, event('C'), meta)).rejects.toMatchObject({ actualVersion: 2 });
    expect(await store.outbox.countDocuments({ streamId: stream })).toBe(0);
    expect(await drain(store)).toEqual([]);
    expect((await store.append(stream, 2, event('C'), meta)).version).toBe(3);
    expect((await store.verifyStream(stream)).valid).toBe(true);
  });

  it('the relay removes a lost claim it meets before its writer does, and publishes nothing twice', async () => {
    const stream = uniqueName('pledge');
    let pausing = false;
    const stale = new MongoEventStore(db, undefined, {
      afterClaim: async () => {
        if (!pausing) return;
        // Paused between claim and insert: the relay looks at the outbox meanwhile.
        const offered = (await store.nextToPublish(1000)).filter((p) => p.event.streamId === stream);
        expect(offered).toEqual([]);
        expect(await store.outbox.countDocuments({ streamId: stream })).toBe(0);
      },
    });
    await stale.append(stream, 0, event('A'), meta);
    await store.append(stream, 1, event('B'), meta);
    await drain(store);
    pausing = true;
    await expect(stale.append(stream, 1, event('C'), meta)).rejects.toBeInstanceOf(
      ExpectedVersionConflictError,
    );
    expect(await store.readStream(stream)).toHaveLength(2);
  });

  it('32 writers racing on one stream in the same millisecond, 50 rounds: every stored event keeps its claim', async () => {
    const frozen = new Date('2026-12-01T12:00:00.000Z');
    // Several processes' worth of stores, each with its own head cache, all reading the same clock tick.
    const writers = Array.from(
      { length: 4 },
      () => new MongoEventStore(db, undefined, { clock: () => frozen }),
    );
    const stream = uniqueName('pledge');
    await writers[0].append(stream, 0, event('Submitted'), meta);
    let accepted = 1;
    for (let round = 0; round < 50; round++) {
      const results = await Promise.allSettled(
        Array.from({ length: 32 }, async (_, i) => {
          const writer = writers[i % writers.length];
          const head = await writer.head(stream, { fresh: i % 2 === 0 });
          return writer.append(stream, head.version, event('Progress', { round, i }), meta);
        }),
      );
      for (const r of results) {
        if (r.status === 'fulfilled') accepted += 1;
        else expect(r.reason).toBeInstanceOf(ExpectedVersionConflictError);
      }
    }
    // No relay ran: every stored event must still have its own claim (the bug: a loser deleted the winner's).
    const stored = await db
      .collection('events')
      .find({ streamId: stream }, { projection: { claim: 1 } })
      .toArray();
    const claims = await store.outbox.find({ streamId: stream }, { projection: { token: 1 } }).toArray();
    const tokens = new Map(claims.map((c) => [c._id as string, c.token]));
    expect(stored).toHaveLength(accepted);
    for (const doc of stored) expect(tokens.get(doc._id as unknown as string)).toBe(doc.claim);
    expect(claims).toHaveLength(stored.length); // and no claim of a loser is left behind
    const published = (await drain(store)).filter((e) => e.streamId === stream);
    expect(published.map((e) => e.version)).toEqual(Array.from({ length: accepted }, (_, i) => i + 1));
    expect((await store.verifyStream(stream)).valid).toBe(true);
  });

  it('a writer paused between claim and insert past the completion time, 50 rounds: its event is stored and offered, and it succeeds', async () => {
    const stream = uniqueName('pledge');
    let relayOffered: number[] = [];
    const relay = new MongoEventStore(db, undefined, { completeClaimsAfterMs: 20 });
    const paused = new MongoEventStore(db, undefined, {
      afterClaim: async (claim: OutboxClaim) => {
        await new Promise((resolve) => setTimeout(resolve, 40));
        // The relay gives up waiting for the writer and completes the append from the claim.
        const batch = (await relay.nextToPublish(1000)).filter((p) => p.event.streamId === stream);
        relayOffered.push(...batch.map((p) => p.event.version));
        expect(batch.map((p) => p.token)).toContain(claim.token);
        await relay.markPublished(batch);
      },
    });
    for (let round = 0; round < 50; round++) {
      relayOffered = [];
      const recorded = await paused.append(stream, round, event('Progress', { round }), meta);
      expect(recorded.version).toBe(round + 1);
      expect(relayOffered).toEqual([round + 1]);
      const [stored] = await store.readStream(stream, { fromVersion: round + 1 });
      expect(stored.eventId).toBe(recorded.eventId);
    }
    expect(await store.outbox.countDocuments({ streamId: stream })).toBe(0);
    expect((await store.verifyStream(stream)).valid).toBe(true);
  });

  it('finds what a principal recorded under an idempotency key by reading the stream, not the collection', async () => {
    const stream = uniqueName('pledge');
    await store.append(stream, 0, event('A'), { ...meta, idempotencyKey: 'k-1' });
    await store.append(stream, 1, event('B'), { ...meta, idempotencyKey: 'k-2' });
    expect((await store.findByIdempotencyKey(stream, 'org-1', 'k-1'))?.version).toBe(1);
    expect(await store.findByIdempotencyKey(stream, 'org-2', 'k-1')).toBeNull();
  });
});
