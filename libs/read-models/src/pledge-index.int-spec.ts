import { Db, MongoClient } from 'mongodb';
import { uniqueName } from '@ledger/testing';
import {
  BUCKET_ENTRIES,
  IndexBucketDocument,
  indexCollectionName,
  indexContents,
  indexEntry,
  indexListReaders,
  PledgeIndexWriter,
} from './pledge-index';

/** The index's bucket chains on the real MongoDB-wire server, checked against a plain sorted list. */
describe('pledge index', () => {
  let client: MongoClient;
  let db: Db;

  beforeAll(async () => {
    client = await MongoClient.connect(process.env.MONGODB_URI!);
    db = client.db(uniqueName('pledge_index'));
  });
  afterAll(async () => {
    await db.dropDatabase().catch(() => undefined);
    await client.close();
  });

  // Deterministic pseudo-random numbers: a failure can be replayed.
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const instant = () => new Date(Date.UTC(2016, 0, 1) + Math.floor(random() * 3.3e11)).toISOString();
  const descending = (entries: Iterable<string>) => [...entries].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));

  async function walk(
    generation: string,
    key: string,
    partitions: number[],
    pageSize: number,
    between?: () => Promise<void>,
  ): Promise<string[]> {
    const seen: string[] = [];
    let position: { after: string; hints: Record<number, string> } | undefined;
    for (;;) {
      const reader = indexListReaders(db, generation, key, partitions, position?.after, position?.hints);
      const page: string[] = [];
      for (
        let next = await reader.next();
        next;
        next = page.length < pageSize ? await reader.next() : undefined
      )
        page.push(next.entry);
      seen.push(...page);
      if (page.length < pageSize) return seen;
      position = { after: page[page.length - 1], hints: reader.hints() };
      await between?.();
    }
  }

  it('keeps each list in order through splits, out-of-order inserts and removals, and pages through it', async () => {
    const generation = uniqueName('gen');
    const writer = new PledgeIndexWriter(db, generation);
    const model = new Map<number, Set<string>>([
      [0, new Set()],
      [1, new Set()],
    ]);
    // New pledges mostly newest (the head), some from years back (placed through the directory).
    for (let round = 0; round < 12; round++) {
      for (const partition of [0, 1]) {
        const entries = Array.from({ length: 40 }, (_, i) =>
          indexEntry(
            round % 3 === 2 ? instant() : new Date(Date.UTC(2027, 0, 1, round, i)).toISOString(),
            `p${round}-${partition}-${i}`,
          ),
        );
        const removals = [...model.get(partition)!].filter(() => random() < 0.1);
        await writer.apply(partition, [
          ...entries.map((entry) => ({ entry, add: ['all', 'country:KE'], remove: [] })),
          ...removals.map((entry) => ({ entry, add: [], remove: ['country:KE'] })),
        ]);
        entries.forEach((e) => model.get(partition)!.add(e));
        removals.forEach((e) => model.get(partition)!.delete(e));
        // Applying the same batch again changes nothing (a redelivered batch).
        if (round === 5)
          await writer.apply(
            partition,
            entries.map((entry) => ({ entry, add: ['all'], remove: [] })),
          );
      }
    }
    const contents = await indexContents(db, generation);
    const expectedKE = descending([...model.get(0)!, ...model.get(1)!]);
    expect(contents.get('country:KE')).toEqual(expectedKE);
    expect(contents.get('all')).toHaveLength(12 * 2 * 40);

    const buckets = await db
      .collection<IndexBucketDocument>(indexCollectionName(generation))
      .find({})
      .toArray();
    const chains = buckets.filter((b) => b._id.startsWith('country:KE|0|') && Array.isArray(b.entries));
    expect(chains.length).toBeGreaterThan(3);
    for (const bucket of chains) {
      expect(bucket.entries.length).toBeLessThanOrEqual(2 * BUCKET_ENTRIES);
      expect(bucket.entries).toEqual(descending(bucket.entries));
      for (const entry of bucket.entries) expect(entry >= bucket.lo).toBe(true);
    }

    // Merged across partitions, page by page from cursors: the whole list, once, in order.
    expect(await walk(generation, 'country:KE', [0, 1], 17)).toEqual(expectedKE);
    expect(await walk(generation, 'country:KE', [0, 1], 1000)).toEqual(expectedKE);
    expect(await walk(generation, 'country:UG', [0, 1], 10)).toEqual([]);
  });

  it('pages skip and repeat nothing while entries are added, removed and buckets split between pages', async () => {
    const generation = uniqueName('gen');
    const writer = new PledgeIndexWriter(db, generation);
    const initial = Array.from({ length: 300 }, (_, i) => indexEntry(instant(), `old-${i}`));
    await writer.apply(
      0,
      initial.map((entry) => ({ entry, add: ['all'], remove: [] })),
    );
    const removed = new Set<string>();
    let n = 0;
    const seen = await walk(generation, 'all', [0], 25, async () => {
      // Between pages: new pledges (newest and from the past, so buckets everywhere split) and removals.
      const added = Array.from({ length: 60 }, (_, i) =>
        indexEntry(i % 2 ? new Date(Date.UTC(2030, 0, 1, 0, n)).toISOString() : instant(), `new-${n}-${i}`),
      );
      const gone = initial.filter((e) => !removed.has(e) && random() < 0.03);
      gone.forEach((e) => removed.add(e));
      await writer.apply(0, [
        ...added.map((entry) => ({ entry, add: ['all'], remove: [] })),
        ...gone.map((entry) => ({ entry, add: [], remove: ['all'] })),
      ]);
      n += 1;
    });
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(descending(seen));
    // Every pledge listed throughout appears; one removed meanwhile may or may not have been listed before.
    for (const entry of initial) if (!removed.has(entry)) expect(seen).toContain(entry);
    expect(n).toBeGreaterThan(10);
  });

  it('a bulk load builds chains that incremental changes and readers go on with', async () => {
    const generation = uniqueName('gen');
    const writer = new PledgeIndexWriter(db, generation);
    const loaded = Array.from({ length: 500 }, (_, i) => indexEntry(instant(), `bulk-${i}`));
    await writer.load(0, new Map([['all', loaded]]));
    const later = Array.from({ length: 120 }, (_, i) => indexEntry(instant(), `later-${i}`));
    const gone = loaded.slice(0, 50);
    await new PledgeIndexWriter(db, generation).apply(0, [
      ...later.map((entry) => ({ entry, add: ['all'], remove: [] })),
      ...gone.map((entry) => ({ entry, add: [], remove: ['all'] })),
    ]);
    const expected = descending([...loaded.slice(50), ...later]);
    expect((await indexContents(db, generation)).get('all')).toEqual(expected);
    expect(await walk(generation, 'all', [0], 33)).toEqual(expected);
  });
});
