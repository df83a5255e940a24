import { AnyBulkWriteOperation, Collection, Db } from 'mongodb';
import { PledgeSummaryDocument, provenanceOf } from './pledge-summary.document';

/**
 * The pledge index: for every value a list or report can be filtered by, the pledges with that value, newest
 * first, in documents read and written by `_id` only (the one lookup FerretDB v1 serves from an index; on
 * MongoDB it is as good as any). It is a read model of the summary read model, maintained in the same batch by
 * the projector and kept in its own collection beside each generation (`<generation>_index`), so a rebuild
 * builds and drops it with the summaries.
 *
 * Shape. One ordered list per (key, partition of the pledge-event topic): the projector instance that owns a
 * partition is the only writer of that partition's lists, so no two writers ever read-modify-write the same
 * document (FerretDB v1 makes no filter-and-update atomic). A reader merges the partitions' lists. A list is a
 * chain of buckets (`<key>|<partition>|<bucket>`, the first one `h`), each holding entries
 * `<submittedAt>|<pledgeId>` in descending order (ISO instants have a fixed width, so the text order is the
 * order by submission time, then id) and the lowest entry it is responsible for (`lo`: every entry in
 * [lo, previous bucket's lo) belongs to it; '' for the last bucket). A bucket holding more than
 * 2 × BUCKET_ENTRIES entries splits: the newer half stays, the older half moves to a new bucket right after it,
 * so an entry only ever moves towards the end of the chain and a reader holding a bucket id can always go on
 * from it. A directory (`<key>|<partition>|dir`) lists the buckets' ids and `lo` in chain order; it is read only
 * to place an entry older than the first bucket covers (new pledges go to the first bucket).
 *
 * The entries hold no state that changes after submission except membership: a progress report or a
 * verification changes no list (nor does an imported event after the submission: a pledge's provenance is its
 * submission's); a submission, an amendment that changes where or what a pledge is about, a
 * fulfilment or a withdrawal moves the pledge in or out of a few lists.
 */

/** Entries a bucket keeps after a split (it splits above twice this). */
export const BUCKET_ENTRIES = 48;

export const FIRST_BUCKET = 'h';

export type IndexKey = string;

export interface IndexBucketDocument {
  _id: string;
  entries: string[];
  lo: string;
  next: string | null;
}

interface IndexDirectoryDocument {
  _id: string;
  /** In chain order, the first bucket first (objects: FerretDB v1 stores no nested arrays). */
  buckets: { id: string; lo: string }[];
  /** The next bucket number to hand out. */
  seq: number;
}

export function indexCollectionName(generation: string): string {
  return `${generation}_index`;
}

export function indexEntry(submittedAt: string, pledgeId: string): string {
  return `${submittedAt}|${pledgeId}`;
}

export function entryPledgeId(entry: string): string {
  return entry.slice(entry.indexOf('|') + 1);
}

/**
 * The index keys of the filter values a pledge summary has (a raw status: lapsing is a matter of time). Its
 * provenance (`provenance:imported` or `provenance:direct`) is set by the submission, so a pledge never moves
 * between those two lists.
 */
export function indexKeysOf(
  doc: Pick<
    PledgeSummaryDocument,
    'actorId' | 'actorType' | 'countries' | 'regions' | 'frameworks' | 'actions'
  > &
    Partial<Pick<PledgeSummaryDocument, 'provenance' | 'state'>>,
  status: string,
): IndexKey[] {
  return [
    'all',
    `actor:${doc.actorId}`,
    `actorType:${doc.actorType}`,
    ...new Set(doc.countries.map((c) => `country:${c}`)),
    ...new Set(doc.regions.map((r) => `region:${r}`)),
    ...new Set(doc.frameworks.map((f) => `framework:${f}`)),
    ...new Set(doc.actions.map((a) => `action:${a}`)),
    `provenance:${provenanceOf(doc)}`,
    `status:${status}`,
  ];
}

/** What one pledge's change does to the index: entries to add to and remove from the lists of keys. */
export interface IndexChange {
  entry: string;
  add: IndexKey[];
  remove: IndexKey[];
}

/** The change from a pledge's stored summary (or none) to its next one; null when no list changes. */
export function indexChange(
  before: PledgeSummaryDocument | null | undefined,
  after: PledgeSummaryDocument,
): IndexChange | null {
  const next = indexKeysOf(after, after.status);
  const previous = before ? indexKeysOf(before, before.status) : [];
  const add = next.filter((k) => !previous.includes(k));
  const remove = previous.filter((k) => !next.includes(k));
  return add.length === 0 && remove.length === 0
    ? null
    : { entry: indexEntry(after.submittedAt, after._id), add, remove };
}

function bucketId(key: IndexKey, partition: number, bucket: string): string {
  return `${key}|${partition}|${bucket}`;
}

/** Index of the first bucket (in chain order) responsible for `entry`: the first whose lo is not above it. */
function route(buckets: readonly { id: string; lo: string }[], entry: string): number {
  // lo descends along the chain and the last is ''; binary search for the first lo <= entry.
  let low = 0;
  let high = buckets.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (buckets[mid].lo <= entry) high = mid;
    else low = mid + 1;
  }
  return low;
}

function insertSorted(entries: string[], entry: string): boolean {
  // Descending order: find the first position whose entry is below `entry`.
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (entries[mid] > entry) low = mid + 1;
    else high = mid;
  }
  if (entries[low] === entry) return false;
  entries.splice(low, 0, entry);
  return true;
}

function removeSorted(entries: string[], entry: string): boolean {
  const at = entries.indexOf(entry);
  if (at < 0) return false;
  entries.splice(at, 1);
  return true;
}

type IndexDocument = IndexBucketDocument | IndexDirectoryDocument;

/**
 * Writes of batches of changes to one generation's index. It remembers the documents it read and wrote last
 * (it is the only writer of its partitions' lists), so a list it keeps writing, a busy head above all, costs a
 * write per batch and no read; `forget` after partitions may have moved (a rebalance).
 */
export class PledgeIndexWriter {
  private readonly docs: Collection<IndexDocument>;
  private readonly cache = new Map<string, IndexDocument>();

  constructor(
    db: Db,
    generation: string,
    private readonly cacheSize = 20_000,
  ) {
    this.docs = db.collection(indexCollectionName(generation));
  }

  forget(): void {
    this.cache.clear();
  }

  private async read<T extends IndexDocument>(_id: string): Promise<T | null> {
    const cached = this.cache.get(_id);
    // A copy: a plan changes what it read, and only what was written may be remembered.
    if (cached) return structuredClone(cached) as T;
    return (await this.docs.findOne({ _id })) as T | null;
  }

  private remember(doc: IndexDocument): void {
    this.cache.delete(doc._id);
    this.cache.set(doc._id, structuredClone(doc));
    if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
  }

  /**
   * Applies the changes of pledges of one partition. Idempotent: an entry already in its list (or already
   * gone) changes nothing, so a batch applied again after a crash leaves the same index.
   */
  async apply(partition: number, changes: readonly IndexChange[]): Promise<number> {
    const byKey = new Map<IndexKey, { add: string[]; remove: string[] }>();
    for (const change of changes) {
      for (const key of change.add) {
        const ops = byKey.get(key) ?? { add: [], remove: [] };
        ops.add.push(change.entry);
        byKey.set(key, ops);
      }
      for (const key of change.remove) {
        const ops = byKey.get(key) ?? { add: [], remove: [] };
        ops.remove.push(change.entry);
        byKey.set(key, ops);
      }
    }
    const writes: AnyBulkWriteOperation<IndexDocument>[] = [];
    // Keys are independent: their reads overlap, their writes go in one command per batch.
    const keys = [...byKey];
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(8, keys.length) }, async () => {
        while (next < keys.length) {
          const [key, ops] = keys[next++];
          writes.push(...(await this.planKey(key, partition, ops.add, ops.remove)));
        }
      }),
    );
    // FerretDB keeps every statement of a command open until the command ends (see PledgeSummaryProjection).
    try {
      for (let from = 0; from < writes.length; from += 16)
        await this.docs.bulkWrite(writes.slice(from, from + 16), { ordered: true });
    } catch (error) {
      this.forget(); // some of it may be written, some not: read it again
      throw error;
    }
    for (const write of writes)
      if ('replaceOne' in write) this.remember(write.replaceOne.replacement as IndexDocument);
    return writes.length;
  }

  /**
   * Writes whole lists at once into a generation that has none of them yet (a bulk load: benchmarks, a
   * generation filled from summaries): the same chains `apply` would build, in far fewer writes.
   */
  async load(partition: number, lists: ReadonlyMap<IndexKey, readonly string[]>): Promise<number> {
    const docs: IndexDocument[] = [];
    for (const [key, unsorted] of lists) {
      const entries = [...new Set(unsorted)].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
      const parts: string[][] = [];
      for (let from = 0; from < entries.length; from += BUCKET_ENTRIES)
        parts.push(entries.slice(from, from + BUCKET_ENTRIES));
      if (parts.length === 0) continue;
      const ids = parts.map((_, i) => (i === 0 ? FIRST_BUCKET : `b${i}`));
      const buckets = parts.map((part, i): IndexBucketDocument => ({
        _id: bucketId(key, partition, ids[i]),
        entries: part,
        lo: i === parts.length - 1 ? '' : part[part.length - 1],
        next: i === parts.length - 1 ? null : ids[i + 1],
      }));
      docs.push(...buckets);
      if (buckets.length > 1)
        docs.push({
          _id: bucketId(key, partition, 'dir'),
          buckets: buckets.map((b, i) => ({ id: ids[i], lo: b.lo })),
          seq: buckets.length,
        });
    }
    for (let from = 0; from < docs.length; from += 500)
      await this.docs.insertMany(docs.slice(from, from + 500), { ordered: false });
    return docs.length;
  }

  private async planKey(
    key: IndexKey,
    partition: number,
    add: readonly string[],
    remove: readonly string[],
  ): Promise<AnyBulkWriteOperation<IndexDocument>[]> {
    const headId = bucketId(key, partition, FIRST_BUCKET);
    const head = await this.read<IndexBucketDocument>(headId);
    const buckets = new Map<string, IndexBucketDocument>();
    const changed = new Set<string>();
    const createdIds = new Set<string>();
    let directory: IndexDirectoryDocument | undefined;
    if (head) buckets.set(FIRST_BUCKET, head);
    else
      buckets.set(FIRST_BUCKET, {
        _id: headId,
        entries: [],
        lo: '',
        next: null,
      });
    const loadDirectory = async (): Promise<IndexDirectoryDocument> => {
      directory ??= (await this.read<IndexDirectoryDocument>(bucketId(key, partition, 'dir'))) ?? {
        _id: bucketId(key, partition, 'dir'),
        buckets: [{ id: FIRST_BUCKET, lo: buckets.get(FIRST_BUCKET)!.lo }],
        seq: 1,
      };
      return directory;
    };
    const bucketFor = async (entry: string): Promise<IndexBucketDocument> => {
      const first = buckets.get(FIRST_BUCKET)!;
      if (entry >= first.lo) return first;
      const dir = await loadDirectory();
      const { id } = dir.buckets[route(dir.buckets, entry)];
      let bucket = buckets.get(id);
      if (!bucket) {
        bucket = (await this.read<IndexBucketDocument>(bucketId(key, partition, id))) ?? {
          _id: bucketId(key, partition, id),
          entries: [],
          lo: dir.buckets.find((b) => b.id === id)!.lo,
          next: null,
        };
        buckets.set(id, bucket);
      }
      return bucket;
    };
    const shortId = (bucket: IndexBucketDocument) => bucket._id.slice(bucket._id.lastIndexOf('|') + 1);
    for (const entry of remove) {
      const bucket = await bucketFor(entry);
      if (removeSorted(bucket.entries, entry)) changed.add(shortId(bucket));
    }
    for (const entry of add) {
      const bucket = await bucketFor(entry);
      if (insertSorted(bucket.entries, entry)) changed.add(shortId(bucket));
    }
    // Split what grew too large: the newer part stays, older parts follow it in the chain.
    for (const id of [...changed]) {
      const bucket = buckets.get(id)!;
      if (bucket.entries.length <= 2 * BUCKET_ENTRIES) continue;
      const dir = await loadDirectory();
      const position = dir.buckets.findIndex((b) => b.id === id);
      const parts: string[][] = [];
      for (let from = 0; from < bucket.entries.length; from += BUCKET_ENTRIES)
        parts.push(bucket.entries.slice(from, from + BUCKET_ENTRIES));
      const oldLo = bucket.lo;
      const oldNext = bucket.next;
      const created: IndexBucketDocument[] = [];
      for (let i = 1; i < parts.length; i++) {
        const newId = `b${dir.seq++}`;
        created.push({ _id: bucketId(key, partition, newId), entries: parts[i], lo: '', next: null });
      }
      const chain = [bucket, ...created];
      for (let i = 0; i < chain.length; i++) {
        chain[i].entries = parts[i];
        chain[i].lo = i === chain.length - 1 ? oldLo : parts[i][parts[i].length - 1];
        chain[i].next = i === chain.length - 1 ? oldNext : shortId(chain[i + 1]);
      }
      dir.buckets.splice(position, 1, ...chain.map((b) => ({ id: shortId(b), lo: b.lo })));
      for (const b of created) {
        buckets.set(shortId(b), b);
        changed.add(shortId(b));
        createdIds.add(shortId(b));
      }
    }
    const writes: AnyBulkWriteOperation<IndexDocument>[] = [];
    // New buckets before the ones pointing at them, the directory last (ordered writes): a reader following
    // the chain never meets a bucket id that is not stored yet, and until the bucket that split is written
    // its old version still holds the entries that moved.
    const ordered = [...changed].sort((a, b) => Number(!createdIds.has(a)) - Number(!createdIds.has(b)));
    for (const id of ordered) {
      const bucket = buckets.get(id)!;
      writes.push({ replaceOne: { filter: { _id: bucket._id }, replacement: bucket, upsert: true } });
    }
    if (directory && writes.length > 0)
      writes.push({
        replaceOne: { filter: { _id: directory._id }, replacement: directory, upsert: true },
      });
    return writes;
  }
}

/**
 * Walks one (key, partition) list from a position, newest first, loading one bucket at a time. `after`: only
 * entries strictly below it (a cursor's position, or the end of a date range).
 */
export class IndexListReader {
  private entries: string[] = [];
  private at = 0;
  private nextBucket: string | null;
  private directory?: IndexDirectoryDocument | null;
  private started = false;
  /** The bucket the next entry comes from (a cursor's hint). */
  current: string;

  constructor(
    private readonly docs: Collection<IndexBucketDocument>,
    private readonly key: IndexKey,
    readonly partition: number,
    private readonly after: string | undefined,
    start: string = FIRST_BUCKET,
  ) {
    this.nextBucket = start;
    this.current = start;
  }

  /**
   * Loads the next bucket of the chain. When it holds nothing at or below `floor` (`strict`: below) while more
   * buckets follow, it goes straight to the bucket the directory names for `floor` instead of walking the chain
   * there (only forwards: the directory may be a moment older than the bucket just read, and entries only move
   * towards the end of the chain).
   */
  private async load(floor: string | undefined, strict: boolean): Promise<void> {
    const id = this.nextBucket!;
    const bucket = await this.docs.findOne({ _id: bucketId(this.key, this.partition, id) });
    if (!bucket && !this.started && id !== FIRST_BUCKET) {
      // A start bucket that is not in this list (a cursor's hint for another list, or made up): start at the
      // first bucket instead (the directory then takes the walk to the position).
      this.started = true;
      this.nextBucket = FIRST_BUCKET;
      return;
    }
    this.started = true;
    this.current = id;
    this.entries = bucket?.entries ?? [];
    this.at = 0;
    this.nextBucket = bucket?.next ?? null;
    if (!bucket || floor === undefined || bucket.next === null) return;
    if (strict ? bucket.lo < floor : bucket.lo <= floor) return;
    this.entries = [];
    if (this.directory === undefined)
      this.directory = (await this.docs.findOne({
        _id: bucketId(this.key, this.partition, 'dir'),
      })) as unknown as IndexDirectoryDocument | null;
    const dir = this.directory;
    if (!dir) return;
    const target = route(dir.buckets, floor);
    const here = dir.buckets.findIndex((b) => b.id === id);
    if (here >= 0 && target > here) this.nextBucket = dir.buckets[target].id;
  }

  /** The next entry, or undefined at the end of the list. */
  async peek(): Promise<string | undefined> {
    for (;;) {
      while (this.at < this.entries.length) {
        const entry = this.entries[this.at];
        if (this.after === undefined || entry < this.after) return entry;
        this.at += 1;
      }
      if (this.nextBucket === null) return undefined;
      await this.load(this.after, true);
    }
  }

  take(): void {
    this.at += 1;
  }

  /**
   * Whether `entry` is in the list, moving past everything newer than it: a walk asks for entries in descending
   * order, so each list is read once, skipping (by the directory) stretches far from what is asked.
   */
  async contains(entry: string): Promise<boolean> {
    for (;;) {
      while (this.at < this.entries.length) {
        const next = this.entries[this.at];
        if (next <= entry) return next === entry;
        this.at += 1;
      }
      if (this.nextBucket === null) return false;
      await this.load(entry, false);
    }
  }
}

/** Merges the partitions' lists of one key, newest first. */
export class IndexMergeReader {
  constructor(private readonly lists: IndexListReader[]) {}

  private async best(): Promise<{ at: number; entry: string } | undefined> {
    const heads = await Promise.all(this.lists.map((list) => list.peek()));
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      if (heads[i] !== undefined && (best < 0 || heads[i]! > heads[best]!)) best = i;
    }
    return best < 0 ? undefined : { at: best, entry: heads[best]! };
  }

  /** The newest entry not taken yet, without taking it. */
  async peek(): Promise<string | undefined> {
    return (await this.best())?.entry;
  }

  async next(): Promise<{ entry: string; partition: number } | undefined> {
    const best = await this.best();
    if (!best) return undefined;
    this.lists[best.at].take();
    return { entry: best.entry, partition: this.lists[best.at].partition };
  }

  /** Where each partition's list stands: bucket ids to go on from, by partition. */
  hints(): Record<number, string> {
    return Object.fromEntries(this.lists.map((list) => [list.partition, list.current]));
  }
}

/**
 * A reader of `key`'s lists in `partitions` (those the generation's checkpoints name: a partition's lists are
 * written before its checkpoint), from below `after` if given, starting at the bucket `hints` names for each
 * partition (a cursor's), else at the first.
 */
export function indexListReaders(
  db: Db,
  generation: string,
  key: IndexKey,
  partitions: readonly number[],
  after: string | undefined,
  hints?: Readonly<Record<number, string>>,
): IndexMergeReader {
  const docs = db.collection<IndexBucketDocument>(indexCollectionName(generation));
  return new IndexMergeReader(
    partitions.map((p) => new IndexListReader(docs, key, p, after, hints?.[p] ?? FIRST_BUCKET)),
  );
}

/** A reader of one (key, partition) list, for membership checks (see IndexListReader.contains). */
export function indexListReader(
  db: Db,
  generation: string,
  key: IndexKey,
  partition: number,
  after: string | undefined,
): IndexListReader {
  return new IndexListReader(
    db.collection<IndexBucketDocument>(indexCollectionName(generation)),
    key,
    partition,
    after,
  );
}

/** Every entry of every list of a generation's index, by key (tests and rebuild comparisons). */
export async function indexContents(db: Db, generation: string): Promise<Map<IndexKey, string[]>> {
  const docs = await db.collection<IndexBucketDocument>(indexCollectionName(generation)).find({}).toArray();
  const byKey = new Map<IndexKey, string[]>();
  for (const doc of docs) {
    if (!Array.isArray(doc.entries)) continue;
    const key = doc._id.split('|').slice(0, -2).join('|');
    byKey.set(key, [...(byKey.get(key) ?? []), ...doc.entries]);
  }
  for (const [key, entries] of byKey) {
    entries.sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
    if (entries.length === 0) byKey.delete(key);
  }
  return byKey;
}
