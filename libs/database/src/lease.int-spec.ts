import { MongoClient } from 'mongodb';
import { testMongoClient, uniqueName } from '@ledger/testing';
import { Lease } from './lease';

describe('Lease (real MongoDB-wire server)', () => {
  let client: MongoClient;
  const dbName = uniqueName('lease');
  const TTL = 10_000;
  const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms);
  const stored = () =>
    client
      .db(dbName)
      .collection<{ _id: string; owner: string; expiresAt: Date }>('leases')
      .findOne({ _id: 'relay' });

  beforeAll(async () => {
    client = await testMongoClient();
  });
  afterAll(async () => {
    await client.db(dbName).dropDatabase();
    await client.close();
  });

  it('has one holder at a time, renews only after half its term, and passes on once it expires', async () => {
    const db = client.db(dbName);
    const first = new Lease(db, 'relay', 'first', TTL);
    const second = new Lease(db, 'relay', 'second', TTL);

    expect(await first.keep(at(0))).toBe(true);
    expect(await second.keep(at(1_000))).toBe(false);
    expect((await stored())?.expiresAt).toEqual(at(TTL));

    // Within half the term: no write, the stored term stands.
    expect(await first.keep(at(4_000))).toBe(true);
    expect((await stored())?.expiresAt).toEqual(at(TTL));
    // Past half the term: renewed in the database.
    expect(await first.keep(at(6_000))).toBe(true);
    expect((await stored())?.expiresAt).toEqual(at(6_000 + TTL));
    expect(await second.keep(at(15_000))).toBe(false);

    // The holder went quiet: once its term is over another takes the lease, and the first must ask again.
    expect(await second.keep(at(6_000 + TTL + 1))).toBe(true);
    expect((await stored())?.owner).toBe('second');
    expect(await first.keep(at(6_000 + TTL + 2))).toBe(false);
  });

  it('is free again once released', async () => {
    const db = client.db(dbName);
    const holder = new Lease(db, 'compiler', 'a', TTL);
    const next = new Lease(db, 'compiler', 'b', TTL);
    expect(await holder.keep(at(0))).toBe(true);
    await holder.release();
    expect(await next.keep(at(1))).toBe(true);
    expect(await holder.keep(at(2))).toBe(false);
  });
});
