import { randomUUID } from 'node:crypto';
import { Collection, Db } from 'mongodb';
import { isDuplicateKeyError } from '@ledger/database';
import { ChainVerification, hashEvent, verifyStreamChain } from './event-hash';
import { ExpectedVersionConflictError } from './expected-version-conflict.error';
import { AppendMetadata, GENESIS_HASH, NewEvent, RecordedEvent } from './recorded-event';
import { UpcasterRegistry } from './upcasting';

/** A stored event: the recorded event under the key `<streamId>:<version>`. Never updated once inserted. */
interface EventDocument extends RecordedEvent {
  _id: string;
}

/** The outbox: one entry per recorded event not yet acknowledged by Kafka. Small, so scanning it is cheap. */
interface OutboxEntry {
  _id: string;
  streamId: string;
  version: number;
  recordedAt: string;
  claimedAt: Date;
}

export const EVENTS_COLLECTION = 'events';
export const OUTBOX_COLLECTION = 'outbox';

/** Keys sort by version within a stream; they are also the only lookups FerretDB v1 serves from an index. */
export function eventKey(streamId: string, version: number): string {
  return `${streamId}:${String(version).padStart(10, '0')}`;
}

function toRecorded({ _id: _key, ...event }: EventDocument): RecordedEvent {
  return event;
}

/** An outbox claim older than this with no event behind it belongs to a writer that died mid-append. */
const ABANDONED_CLAIM_MS = 60_000;

export interface StreamHeadView {
  version: number;
  hash: string;
  /** The fold at this version, as the last writer in this process left it (never read from the database). */
  snapshot?: { kind: string; state: unknown };
}

/** Heads of recently written streams kept per process; bounded, the oldest entries go first. */
const HEAD_CACHE_SIZE = 20_000;

/**
 * Append-only event store on MongoDB. Each event is keyed `<streamId>:<version>`, so two writers appending
 * the same version collide on a unique key: the loser gets ExpectedVersionConflictError. Appending first
 * claims the versions in the outbox (same keys), then inserts the events; the relay publishes from the outbox.
 * Events are never updated: the store is an audit trail. The hot path only inserts and looks up by _id, which
 * FerretDB v1 (the MongoDB-wire server without Docker) serves from its index; other queries scan there.
 */
export class MongoEventStore {
  readonly events: Collection<EventDocument>;
  readonly outbox: Collection<OutboxEntry>;
  private readonly heads = new Map<string, StreamHeadView>();

  constructor(
    db: Db,
    private readonly upcasters = new UpcasterRegistry(),
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.events = db.collection<EventDocument>(EVENTS_COLLECTION);
    this.outbox = db.collection<OutboxEntry>(OUTBOX_COLLECTION);
  }

  async ensureIndexes(): Promise<void> {
    // The _id already enforces one event per stream version; on MongoDB these serve queries by stream.
    await this.events.createIndex(
      { streamId: 1, version: 1 },
      { unique: true, name: 'stream_version_unique' },
    );
    await this.events.createIndex({ 'principal.id': 1, idempotencyKey: 1 }, { name: 'idempotency' });
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
    let head: StreamHeadView;
    if (cached) {
      head = cached;
      // Walk forward by key from what this process knows: lookups by _id, the one kind FerretDB v1 indexes.
      for (;;) {
        const next = await this.events.findOne(
          { _id: eventKey(streamId, head.version + 1) },
          { projection: { hash: 1, version: 1 } },
        );
        if (!next) break;
        head = { version: next.version, hash: next.hash };
      }
    } else {
      const last = await this.events
        .find({ streamId }, { projection: { version: 1, hash: 1 } })
        .sort({ version: -1 })
        .limit(1)
        .next();
      head = { version: last?.version ?? 0, hash: last?.hash ?? GENESIS_HASH };
    }
    if (head.version > 0) this.remember(streamId, head);
    return head;
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
        this.events.findOne({ _id: eventKey(streamId, first + i) }),
      ),
    );
    // A missing version is left out, not invented: chain verification reports it as a gap.
    const recorded = docs.filter((d): d is EventDocument => d !== null).map(toRecorded);
    return options.raw ? recorded : recorded.map((e) => this.upcasters.upcast(e));
  }

  /**
   * Appends events after `expectedVersion`, chaining their hashes. Throws ExpectedVersionConflictError when
   * the stream is not at that version (decided by unique keys, so it holds across processes).
   */
  async append(
    streamId: string,
    expectedVersion: number,
    events: readonly NewEvent[],
    metadata: AppendMetadata,
    snapshot?: { kind: string; state: unknown },
  ): Promise<RecordedEvent[]> {
    if (events.length === 0) return [];
    let prevHash = GENESIS_HASH;
    const cached = this.heads.get(streamId);
    if (expectedVersion > 0 && cached?.version === expectedVersion) {
      prevHash = cached.hash;
    } else if (expectedVersion > 0) {
      const previous = await this.events.findOne(
        { _id: eventKey(streamId, expectedVersion) },
        { projection: { hash: 1 } },
      );
      if (!previous) throw await this.conflict(streamId, expectedVersion);
      prevHash = previous.hash;
    }
    const now = this.clock();
    const recordedAt = now.toISOString();
    const recorded: RecordedEvent[] = events.map((event, index) => {
      const unhashed = {
        eventId: randomUUID(),
        streamId,
        version: expectedVersion + index + 1,
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
        payload: event.payload,
        prevHash,
      };
      const hash = hashEvent(unhashed);
      prevHash = hash;
      return { ...unhashed, hash };
    });
    const keys = recorded.map((e) => eventKey(streamId, e.version));
    try {
      // Claim the versions first: whoever claims them is the only writer that may insert them.
      await this.outbox.insertMany(
        recorded.map((e, i) => ({ _id: keys[i], streamId, version: e.version, recordedAt, claimedAt: now })),
        { ordered: true },
      );
    } catch (error) {
      if (isDuplicateKeyError(error)) {
        await this.releaseClaims(keys, now);
        throw await this.conflict(streamId, expectedVersion);
      }
      throw error;
    }
    try {
      await this.events.insertMany(
        recorded.map((e, i) => ({ _id: keys[i], ...e })),
        { ordered: true },
      );
    } catch (error) {
      if (isDuplicateKeyError(error)) {
        // The versions were published (claims gone) by a writer this process did not hear of.
        await this.releaseClaims(keys, now);
        throw await this.conflict(streamId, expectedVersion);
      }
      await this.releaseClaims(keys, now).catch(() => undefined);
      throw error;
    }
    const last = recorded[recorded.length - 1];
    this.remember(streamId, { version: last.version, hash: last.hash, ...(snapshot ? { snapshot } : {}) });
    return recorded;
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

  /** Drops this writer's own claims (matched by claim time) that have no event behind them. */
  private async releaseClaims(keys: string[], claimedAt: Date): Promise<void> {
    for (const key of keys) {
      if (!(await this.events.findOne({ _id: key }, { projection: { _id: 1 } }))) {
        await this.outbox.deleteOne({ _id: key, claimedAt });
      }
    }
  }

  /** The event a principal recorded under an idempotency key, if any (used to recover an interrupted request). */
  async findByIdempotencyKey(principalId: string, idempotencyKey: string): Promise<RecordedEvent | null> {
    const doc = await this.events.findOne({ 'principal.id': principalId, idempotencyKey });
    return doc ? toRecorded(doc) : null;
  }

  // ---- outbox -------------------------------------------------------------------------------------

  /**
   * Recorded events waiting for Kafka, oldest first. A stream's event is returned only after every earlier
   * pending version of that stream, and only once it is actually stored, so the relay can never publish
   * version n+1 ahead of version n.
   */
  async nextToPublish(limit: number): Promise<RecordedEvent[]> {
    const entries = await this.outbox.find({}).sort({ recordedAt: 1, _id: 1 }).limit(limit).toArray();
    if (entries.length === 0) return [];
    const byStream = new Map<string, OutboxEntry[]>();
    for (const entry of entries)
      byStream.set(entry.streamId, [...(byStream.get(entry.streamId) ?? []), entry]);
    const lowestPending = new Map<string, number>();
    const pending = await this.outbox
      .find({ streamId: { $in: [...byStream.keys()] } }, { projection: { streamId: 1, version: 1 } })
      .toArray();
    for (const p of pending)
      lowestPending.set(p.streamId, Math.min(lowestPending.get(p.streamId) ?? Infinity, p.version));
    const now = this.clock().getTime();
    const ready: RecordedEvent[] = [];
    await Promise.all(
      [...byStream].map(async ([streamId, streamEntries]) => {
        streamEntries.sort((a, b) => a.version - b.version);
        let next = lowestPending.get(streamId) ?? streamEntries[0].version;
        for (const entry of streamEntries) {
          if (entry.version !== next) break;
          const doc = await this.events.findOne({ _id: entry._id });
          if (!doc) {
            // Claimed but not (yet) stored: wait for it, unless its writer is long gone.
            if (now - entry.claimedAt.getTime() > ABANDONED_CLAIM_MS)
              await this.outbox.deleteOne({ _id: entry._id, claimedAt: entry.claimedAt });
            break;
          }
          ready.push(toRecorded(doc));
          next += 1;
        }
      }),
    );
    return ready.sort((a, b) =>
      a.recordedAt < b.recordedAt ? -1 : a.recordedAt > b.recordedAt ? 1 : a.version - b.version,
    );
  }

  /** Kafka acknowledged these events: they leave the outbox. */
  async markPublished(events: readonly Pick<RecordedEvent, 'streamId' | 'version'>[]): Promise<void> {
    if (events.length === 0) return;
    await this.outbox.deleteMany({ _id: { $in: events.map((e) => eventKey(e.streamId, e.version)) } });
  }

  async unpublishedStats(): Promise<{ count: number; oldestRecordedAt: string | null }> {
    const oldest = await this.outbox
      .find({}, { projection: { recordedAt: 1 } })
      .sort({ recordedAt: 1 })
      .limit(1)
      .next();
    return {
      count: oldest ? await this.outbox.countDocuments({}) : 0,
      oldestRecordedAt: oldest?.recordedAt ?? null,
    };
  }

  // ---- audit --------------------------------------------------------------------------------------

  async verifyStream(streamId: string): Promise<ChainVerification> {
    const events = await this.events.find({ streamId }).sort({ version: 1 }).toArray();
    return verifyStreamChain(streamId, events.map(toRecorded));
  }

  /** Verifies every stream's chain, reading the whole store once in key order. */
  async *verifyAll(): AsyncGenerator<ChainVerification> {
    let currentStream: string | null = null;
    let buffer: RecordedEvent[] = [];
    for await (const doc of this.events.find({}).sort({ _id: 1 })) {
      if (doc.streamId !== currentStream) {
        if (currentStream !== null) yield verifyStreamChain(currentStream, buffer);
        currentStream = doc.streamId;
        buffer = [];
      }
      buffer.push(toRecorded(doc));
    }
    if (currentStream !== null) yield verifyStreamChain(currentStream, buffer);
  }
}
