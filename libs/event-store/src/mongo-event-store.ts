import { randomUUID } from 'node:crypto';
import { Collection, Db } from 'mongodb';
import { deadlineOptions, isDuplicateKeyError, throwIfPastDeadline } from '@ledger/database';
import { ChainVerification, hashEvent, verifyStreamChain } from './event-hash';
import { ExpectedVersionConflictError } from './expected-version-conflict.error';
import { AppendMetadata, GENESIS_HASH, NewEvent, RecordedEvent } from './recorded-event';
import { UpcasterRegistry } from './upcasting';

/**
 * A stored event: the recorded event under the key `<streamId>:<version>`, with the token of the claim that
 * stored it (not part of the event or its hash). Never updated once inserted.
 */
interface EventDocument extends RecordedEvent {
  _id: string;
  claim?: string;
}

/**
 * The outbox: one claim per appended event not yet acknowledged by Kafka, under the event's own key. A claim
 * holds the whole event and a token unique to the append attempt that wrote it, so whoever finds it (its
 * writer, or the relay when the writer stalled or died) can complete the append, and nobody removes a claim
 * that is not proven done or lost.
 */
export interface OutboxClaim {
  _id: string;
  token: string;
  streamId: string;
  version: number;
  recordedAt: string;
  claimedAt: Date;
  event: RecordedEvent;
}

/**
 * A claim as stored: the event as JSON text. FerretDB decodes every document a scan of the outbox meets,
 * and one string costs it far less than an event's dozens of nested fields.
 */
interface StoredClaim extends Omit<OutboxClaim, 'event'> {
  event: string;
}

/** An event the relay may publish now, with the claim to remove once Kafka has acknowledged it. */
export interface PendingPublication {
  key: string;
  token: string;
  event: RecordedEvent;
}

export const EVENTS_COLLECTION = 'events';
export const OUTBOX_COLLECTION = 'outbox';

/** Keys sort by version within a stream; they are also the only lookups FerretDB v1 serves from an index. */
export function eventKey(streamId: string, version: number): string {
  return `${streamId}:${String(version).padStart(10, '0')}`;
}

function toRecorded({ _id: _key, claim: _claim, ...event }: EventDocument): RecordedEvent {
  return event;
}

export interface StreamHeadView {
  version: number;
  hash: string;
  /** The fold at this version, as the last writer in this process left it (never read from the database). */
  snapshot?: { kind: string; state: unknown };
}

export interface MongoEventStoreOptions {
  clock?: () => Date;
  /**
   * A claim whose event is still not stored this long after it was made is completed by the relay (its
   * writer stalled or died after claiming). Completing early is harmless (the writer then finds its own
   * event stored); this only saves racing writers that are merely a few milliseconds behind.
   */
  completeClaimsAfterMs?: number;
  /** Test seam: runs after the claim is stored and before the event is, e.g. to pause a writer there. */
  afterClaim?: (claim: OutboxClaim) => Promise<void>;
}

/** Heads of recently written streams kept per process; bounded, the oldest entries go first. */
const HEAD_CACHE_SIZE = 20_000;
const DEFAULT_COMPLETE_CLAIMS_AFTER_MS = 2_000;

/**
 * Append-only event store on MongoDB.
 *
 * Invariant: every stored event is published to the topic, in per-stream order, at least once.
 *
 * How: an append writes a claim into the outbox under the event's key `<streamId>:<version>` (a unique-key
 * insert: of writers racing for a version exactly one claims it) and then stores the event under the same
 * key. The claim is the commit point: it carries the whole event and a token unique to this attempt, and the
 * relay completes any claim it finds whose event is not stored yet. A claim leaves the outbox only when its
 * event is on Kafka, or when the key already holds another attempt's event (the claim lost; its writer's
 * insert fails too, so it is never acknowledged). Nothing is abandoned on a timeout, so a stalled writer that
 * resumes either finds its event stored (and published) or fails; it can never store an event that no claim
 * stands for. Only unique-key inserts and lookups by `_id` decide anything: no transactions, and no reliance
 * on atomic filter-and-update, which FerretDB v1 does not give.
 */
export class MongoEventStore {
  readonly events: Collection<EventDocument>;
  readonly outbox: Collection<StoredClaim>;
  private readonly heads = new Map<string, StreamHeadView>();
  private readonly clock: () => Date;
  private readonly completeClaimsAfterMs: number;

  constructor(
    db: Db,
    private readonly upcasters = new UpcasterRegistry(),
    private readonly options: MongoEventStoreOptions = {},
  ) {
    this.events = db.collection<EventDocument>(EVENTS_COLLECTION);
    this.outbox = db.collection<StoredClaim>(OUTBOX_COLLECTION);
    this.clock = options.clock ?? (() => new Date());
    this.completeClaimsAfterMs = options.completeClaimsAfterMs ?? DEFAULT_COMPLETE_CLAIMS_AFTER_MS;
  }

  async ensureIndexes(): Promise<void> {
    // The _id already enforces one event per stream version; on MongoDB these serve queries by stream.
    await this.events.createIndex(
      { streamId: 1, version: 1 },
      { unique: true, name: 'stream_version_unique' },
    );
    await this.outbox.createIndex({ recordedAt: 1 }, { name: 'recorded_at' });
  }

  /**
   * The stream's head. Writers may take the one this process cached when it last wrote the stream: if another
   * process has written since, the append collides on a unique key and is retried on a fresh head. Readers
   * that must be current ask for `fresh`, which checks the store for newer versions.
   */
  async head(streamId: string, options: { fresh?: boolean } = {}): Promise<StreamHeadView> {
    const cached = this.heads.get(streamId);
    if (cached && !options.fresh) return cached;
    const head = await this.findHead(streamId, cached);
    if (head.version > 0) this.remember(streamId, cached?.version === head.version ? cached : head);
    return head;
  }

  /**
   * Finds the last version by lookups of keys alone, also with nothing cached: a stream's versions are dense
   * (version n is stored only after n - 1), so "is version v stored" is true up to the head and false after.
   * Galloping from what is known, then halving: about 2·log2(n) lookups by `_id` for a stream of n events,
   * one when the cached head is current. FerretDB v1 would scan every event for a query by stream.
   */
  private async findHead(streamId: string, known?: StreamHeadView): Promise<StreamHeadView> {
    let low: StreamHeadView = known ?? { version: 0, hash: GENESIS_HASH };
    let high: number | undefined;
    for (let step = 1; high === undefined; step *= 2) {
      const found = await this.lookupHead(streamId, low.version + step);
      if (found) low = found;
      else high = low.version + step;
    }
    while (high - low.version > 1) {
      const middle = Math.floor((low.version + high) / 2);
      const found = await this.lookupHead(streamId, middle);
      if (found) low = found;
      else high = middle;
    }
    return { version: low.version, hash: low.hash };
  }

  private async lookupHead(streamId: string, version: number): Promise<StreamHeadView | null> {
    const doc = await this.events.findOne(
      { _id: eventKey(streamId, version) },
      { projection: { hash: 1, version: 1 }, ...deadlineOptions() },
    );
    return doc ? { version: doc.version, hash: doc.hash } : null;
  }

  private remember(streamId: string, head: StreamHeadView): void {
    this.heads.delete(streamId);
    this.heads.set(streamId, head);
    if (this.heads.size > HEAD_CACHE_SIZE) this.heads.delete(this.heads.keys().next().value as string);
  }

  async streamVersion(streamId: string): Promise<number> {
    return (await this.head(streamId, { fresh: true })).version;
  }

  /** A stream's events in order, upcast to current schema versions (raw: as stored); optionally up to a version. */
  async readStream(
    streamId: string,
    options: { toVersion?: number; fromVersion?: number; raw?: boolean } = {},
  ): Promise<RecordedEvent[]> {
    const last = options.toVersion ?? (await this.head(streamId, { fresh: true })).version;
    const first = Math.max(1, options.fromVersion ?? 1);
    const docs = await Promise.all(
      Array.from({ length: Math.max(0, last - first + 1) }, (_, i) =>
        this.events.findOne({ _id: eventKey(streamId, first + i) }, deadlineOptions()),
      ),
    );
    // A missing version is left out, not invented: chain verification reports it as a gap.
    const recorded = docs.filter((d): d is EventDocument => d !== null).map(toRecorded);
    return options.raw ? recorded : recorded.map((e) => this.upcasters.upcast(e));
  }

  /**
   * Appends one event after `expectedVersion`, chained to its predecessor's hash. Throws
   * ExpectedVersionConflictError when the stream is not at that version (decided by unique keys, so it holds
   * across processes). One event per append: its claim is the unit of commit, and every command decides one.
   * Past the request's deadline (before the claim) it throws DeadlineExceededError and leaves nothing behind.
   */
  async append(
    streamId: string,
    expectedVersion: number,
    event: NewEvent,
    metadata: AppendMetadata,
    snapshot?: { kind: string; state: unknown },
  ): Promise<RecordedEvent> {
    let prevHash = GENESIS_HASH;
    const cached = this.heads.get(streamId);
    if (expectedVersion > 0 && cached?.version === expectedVersion) {
      prevHash = cached.hash;
    } else if (expectedVersion > 0) {
      const previous = await this.lookupHead(streamId, expectedVersion);
      if (!previous) throw await this.conflict(streamId, expectedVersion);
      prevHash = previous.hash;
    }
    const now = this.clock();
    const recordedAt = now.toISOString();
    const version = expectedVersion + 1;
    const unhashed = {
      eventId: randomUUID(),
      streamId,
      version,
      type: event.type,
      schemaVersion: event.schemaVersion ?? this.upcasters.currentVersion(event.type),
      occurredAt: event.occurredAt ?? recordedAt,
      recordedAt,
      principal: {
        id: metadata.principal.id,
        role: metadata.principal.role,
        name: metadata.principal.name,
      },
      correlationId: metadata.correlationId,
      causationId: metadata.causationId ?? metadata.correlationId,
      idempotencyKey: metadata.idempotencyKey ?? null,
      ...(event.provenance !== undefined ? { provenance: event.provenance } : {}),
      payload: event.payload,
      prevHash,
    };
    const recorded: RecordedEvent = { ...unhashed, hash: hashEvent(unhashed) };
    const claim: OutboxClaim = {
      _id: eventKey(streamId, version),
      token: randomUUID(),
      streamId,
      version,
      recordedAt,
      claimedAt: now,
      event: recorded,
    };
    // The last moment a request that has run out of time can stop with no effect: the claim commits.
    throwIfPastDeadline();
    try {
      await this.outbox.insertOne({ ...claim, event: JSON.stringify(recorded) });
    } catch (error) {
      // Another writer holds the version: nothing of this attempt was written.
      if (isDuplicateKeyError(error)) throw await this.conflict(streamId, expectedVersion);
      throw error;
    }
    await this.options.afterClaim?.(claim);
    if ((await this.complete(claim)) === 'lost') {
      // The key holds an event of another attempt (this process's head was stale): the claim lost.
      await this.removeClaim(claim._id, claim.token);
      throw await this.conflict(streamId, expectedVersion);
    }
    this.remember(streamId, { version, hash: recorded.hash, ...(snapshot ? { snapshot } : {}) });
    return recorded;
  }

  /**
   * Stores a claim's event under its key unless the key holds another attempt's event. The writer does this
   * right after claiming; the relay does it for a claim whose writer is late. Either finding the other's
   * insert already done is success.
   */
  private async complete(claim: OutboxClaim): Promise<'stored' | 'lost'> {
    try {
      await this.events.insertOne({ _id: claim._id, claim: claim.token, ...claim.event });
      return 'stored';
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const stored = await this.events.findOne({ _id: claim._id }, { projection: { claim: 1 } });
      return stored?.claim === claim.token ? 'stored' : 'lost';
    }
  }

  /**
   * Says where the stream really is, walking forward by key from this process's view (lookups by _id, no
   * scan). The winner may have claimed the version without having stored its event yet: wait a moment for it.
   */
  private async conflict(streamId: string, expectedVersion: number): Promise<ExpectedVersionConflictError> {
    let actual = (await this.head(streamId, { fresh: true })).version;
    for (let wait = 0; actual <= expectedVersion && wait < 20; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      actual = (await this.head(streamId, { fresh: true })).version;
    }
    return new ExpectedVersionConflictError(streamId, expectedVersion, actual);
  }

  /**
   * The event a principal recorded under an idempotency key in one stream, if any (to answer a retry of a
   * request whose process died after recording). Reads the stream backwards by key: the event is near the head.
   */
  async findByIdempotencyKey(
    streamId: string,
    principalId: string,
    idempotencyKey: string,
  ): Promise<RecordedEvent | null> {
    const head = await this.head(streamId, { fresh: true });
    for (let version = head.version; version >= 1; version--) {
      const doc = await this.events.findOne({ _id: eventKey(streamId, version) }, deadlineOptions());
      if (doc?.principal.id === principalId && doc.idempotencyKey === idempotencyKey) return toRecorded(doc);
    }
    return null;
  }

  // ---- outbox -------------------------------------------------------------------------------------

  /**
   * Recorded events waiting for Kafka, oldest first. A stream's event is offered only after every earlier
   * pending version of that stream, and only once it is stored, so the relay can never publish version n+1
   * ahead of version n. On the way it settles claims: one whose writer is late is completed (its event stored
   * from the claim), one whose key holds another attempt's event is removed (it lost, and its writer fails).
   */
  async nextToPublish(limit: number): Promise<PendingPublication[]> {
    const entries = await this.outbox
      .find({}, { projection: { event: 0 } })
      .sort({ recordedAt: 1, _id: 1 })
      .limit(limit)
      .toArray();
    if (entries.length === 0) return [];
    const byStream = new Map<string, Omit<StoredClaim, 'event'>[]>();
    for (const entry of entries)
      byStream.set(entry.streamId, [...(byStream.get(entry.streamId) ?? []), entry]);
    const now = this.clock().getTime();
    const ready: PendingPublication[] = [];
    await Promise.all(
      [...byStream].map(async ([streamId, streamEntries]) => {
        streamEntries.sort((a, b) => a.version - b.version);
        // An earlier version still in the outbox (beyond this listing) goes first: look it up by key.
        const first = streamEntries[0].version;
        if (
          first > 1 &&
          (await this.outbox.findOne({ _id: eventKey(streamId, first - 1) }, { projection: { _id: 1 } }))
        )
          return;
        let next = first;
        for (const entry of streamEntries) {
          if (entry.version !== next) break;
          const settled = await this.settle(entry, now);
          if (settled === 'waiting') break;
          if (settled !== 'lost') ready.push({ key: entry._id, token: entry.token, event: settled });
          next += 1;
        }
      }),
    );
    return ready.sort((a, b) =>
      a.event.recordedAt < b.event.recordedAt
        ? -1
        : a.event.recordedAt > b.event.recordedAt
          ? 1
          : a.event.version - b.event.version,
    );
  }

  /** What a claim stands for now: its stored event, a lost claim (removed), or a young claim to wait for. */
  private async settle(
    entry: Omit<StoredClaim, 'event'>,
    now: number,
  ): Promise<RecordedEvent | 'lost' | 'waiting'> {
    const stored = await this.events.findOne({ _id: entry._id });
    if (stored) {
      if (stored.claim === entry.token) return toRecorded(stored);
      // The key holds another attempt's event, published under its own claim before this one was made.
      await this.removeClaim(entry._id, entry.token);
      return 'lost';
    }
    if (now - entry.claimedAt.getTime() < this.completeClaimsAfterMs) return 'waiting';
    const found = await this.outbox.findOne({ _id: entry._id });
    if (!found || found.token !== entry.token) return 'waiting';
    const claim: OutboxClaim = { ...found, event: JSON.parse(found.event) as RecordedEvent };
    // Its writer is late or dead: complete the append for it, if it still follows its predecessor.
    if (claim.version > 1) {
      const previous = await this.lookupHead(claim.streamId, claim.version - 1);
      if (!previous) return 'waiting';
      if (previous.hash !== claim.event.prevHash) {
        await this.removeClaim(claim._id, claim.token);
        return 'lost';
      }
    }
    if ((await this.complete(claim)) === 'lost') {
      await this.removeClaim(claim._id, claim.token);
      return 'lost';
    }
    return claim.event;
  }

  /**
   * Removes the claim of one attempt: looked up by key, then deleted by key (FerretDB v1 serves only a lone
   * `_id` from an index, and makes no filter-and-delete atomic anyway). Between the two a different claim can
   * only have taken the key if the first was already removed, which happens only once the key holds a
   * stored event; every later claim of that key is then a loser whose own insert fails, so removing it by
   * mistake can never lose an acknowledged event.
   */
  private async removeClaim(key: string, token: string): Promise<void> {
    const current = await this.outbox.findOne({ _id: key }, { projection: { token: 1 } });
    if (current?.token === token) await this.outbox.deleteOne({ _id: key });
  }

  /** Kafka acknowledged these events: their claims, and only those, leave the outbox. */
  async markPublished(published: readonly Pick<PendingPublication, 'key' | 'token'>[]): Promise<void> {
    await Promise.all(published.map(({ key, token }) => this.removeClaim(key, token)));
  }

  /**
   * How many events wait for Kafka and since when. `null` if it cannot be told within `budgetMs` (a large
   * backlog is a scan on FerretDB): health checks say so rather than wait.
   */
  async unpublishedStats(budgetMs = 600): Promise<{ count: number; oldestRecordedAt: string | null } | null> {
    const signal = AbortSignal.timeout(budgetMs);
    try {
      const oldest = await this.outbox
        .find({}, { projection: { recordedAt: 1 }, signal })
        .sort({ recordedAt: 1 })
        .limit(1)
        .next();
      return {
        count: oldest ? await this.outbox.countDocuments({}, { signal }) : 0,
        oldestRecordedAt: oldest?.recordedAt ?? null,
      };
    } catch (error) {
      if (signal.aborted) return null;
      throw error;
    }
  }

  // ---- audit --------------------------------------------------------------------------------------

  async verifyStream(streamId: string): Promise<ChainVerification> {
    return verifyStreamChain(streamId, await this.readStream(streamId, { raw: true }));
  }

  /** Verifies every stream's chain, reading the whole store once in key order. */
  async *verifyAll(): AsyncGenerator<ChainVerification> {
    let currentStream: string | null = null;
    let buffer: RecordedEvent[] = [];
    for await (const doc of this.events.find({}, deadlineOptions()).sort({ _id: 1 })) {
      if (doc.streamId !== currentStream) {
        if (currentStream !== null) yield verifyStreamChain(currentStream, buffer);
        currentStream = doc.streamId;
        buffer = [];
      }
      buffer.push(toRecorded(doc));
    }
    if (currentStream !== null) yield verifyStreamChain(currentStream, buffer);
  }

  /** Every stored event, in no particular order (a reconciliation reads the whole store once). */
  async *allEvents(): AsyncGenerator<RecordedEvent> {
    for await (const doc of this.events.find({})) yield toRecorded(doc);
  }

  /** Whether the event under `key` still waits in the outbox for Kafka's acknowledgement (a lookup by key). */
  async isPending(key: string): Promise<boolean> {
    return (await this.outbox.findOne({ _id: key }, { projection: { _id: 1 } })) !== null;
  }

  /** The keys of every claim in the outbox now (events committed but not yet acknowledged by Kafka). */
  async pendingKeys(): Promise<Set<string>> {
    const claims = await this.outbox.find({}, { projection: { _id: 1 } }).toArray();
    return new Set(claims.map((c) => c._id));
  }
}
