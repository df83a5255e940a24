import { randomUUID } from 'node:crypto';
import { Collection, Db } from 'mongodb';
import { isDuplicateKeyError } from '@ledger/database';
import { hashEvent, verifyStreamChain, ChainVerification } from './event-hash';
import { ExpectedVersionConflictError } from './expected-version-conflict.error';
import { AppendMetadata, GENESIS_HASH, NewEvent, RecordedEvent } from './recorded-event';
import { UpcasterRegistry } from './upcasting';

/** The stored document: the recorded event (its eventId as _id) plus the relay's delivery mark. */
interface EventDocument extends Omit<RecordedEvent, 'eventId'> {
  _id: string;
  /** Set by the outbox relay once Kafka acknowledged the event; outside the hash. */
  publishedAt: string | null;
}

export const EVENTS_COLLECTION = 'events';

function toRecorded(doc: EventDocument): RecordedEvent {
  const { _id, publishedAt: _publishedAt, ...rest } = doc;
  return { eventId: _id, ...rest };
}

export interface UnpublishedEvent extends RecordedEvent {
  recordedAt: string;
}

/**
 * Append-only event store on MongoDB. Optimistic concurrency comes from the unique {streamId, version}
 * index: a duplicate key means another writer got there first. Events double as the outbox: the relay
 * publishes those whose publishedAt is still null.
 */
export class MongoEventStore {
  readonly events: Collection<EventDocument>;

  constructor(
    db: Db,
    private readonly upcasters = new UpcasterRegistry(),
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.events = db.collection<EventDocument>(EVENTS_COLLECTION);
  }

  async ensureIndexes(): Promise<void> {
    await this.events.createIndex(
      { streamId: 1, version: 1 },
      { unique: true, name: 'stream_version_unique' },
    );
    await this.events.createIndex({ publishedAt: 1, recordedAt: 1 }, { name: 'outbox' });
    await this.events.createIndex({ 'principal.id': 1, idempotencyKey: 1 }, { name: 'idempotency' });
    await this.events.createIndex({ recordedAt: 1 }, { name: 'recorded_at' });
  }

  /** Current version of a stream; 0 if it has no events. */
  async streamVersion(streamId: string): Promise<number> {
    const head = await this.events
      .find({ streamId }, { projection: { version: 1 } })
      .sort({ version: -1 })
      .limit(1)
      .next();
    return head?.version ?? 0;
  }

  /** A stream's events in order, upcast to current schema versions; optionally only up to a version. */
  async readStream(
    streamId: string,
    options: { toVersion?: number; raw?: boolean } = {},
  ): Promise<RecordedEvent[]> {
    const filter =
      options.toVersion === undefined ? { streamId } : { streamId, version: { $lte: options.toVersion } };
    const docs = await this.events.find(filter).sort({ version: 1 }).toArray();
    const recorded = docs.map(toRecorded);
    return options.raw ? recorded : recorded.map((e) => this.upcasters.upcast(e));
  }

  /**
   * Appends events after `expectedVersion`, chaining their hashes. Throws ExpectedVersionConflictError if
   * the stream is not at that version (checked by the unique index, so it holds across processes).
   */
  async append(
    streamId: string,
    expectedVersion: number,
    events: readonly NewEvent[],
    metadata: AppendMetadata,
  ): Promise<RecordedEvent[]> {
    if (events.length === 0) return [];
    let prevHash = GENESIS_HASH;
    if (expectedVersion > 0) {
      const previous = await this.events.findOne(
        { streamId, version: expectedVersion },
        { projection: { hash: 1 } },
      );
      if (!previous) {
        throw new ExpectedVersionConflictError(streamId, expectedVersion, await this.streamVersion(streamId));
      }
      prevHash = previous.hash;
    }
    const recordedAt = this.clock().toISOString();
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
    try {
      await this.events.insertMany(
        recorded.map(({ eventId, ...rest }) => ({ _id: eventId, ...rest, publishedAt: null })),
        { ordered: true },
      );
    } catch (error) {
      if (isDuplicateKeyError(error)) {
        throw new ExpectedVersionConflictError(streamId, expectedVersion, await this.streamVersion(streamId));
      }
      throw error;
    }
    return recorded;
  }

  /** The event a principal recorded under an idempotency key, if any (used to recover an interrupted request). */
  async findByIdempotencyKey(principalId: string, idempotencyKey: string): Promise<RecordedEvent | null> {
    const doc = await this.events.findOne({ 'principal.id': principalId, idempotencyKey });
    return doc ? toRecorded(doc) : null;
  }

  // ---- outbox -------------------------------------------------------------------------------------

  /**
   * Unpublished events that may be published now, oldest first. A stream's event is only returned when
   * every earlier version of that stream is published or returned before it, so the relay can never
   * publish version n+1 ahead of version n.
   */
  async nextToPublish(limit: number): Promise<RecordedEvent[]> {
    const candidates = await this.events
      .find({ publishedAt: null })
      .sort({ recordedAt: 1 })
      .limit(limit)
      .toArray();
    if (candidates.length === 0) return [];
    const streamIds = [...new Set(candidates.map((c) => c.streamId))];
    const pending = await this.events
      .find({ publishedAt: null, streamId: { $in: streamIds } }, { projection: { streamId: 1, version: 1 } })
      .toArray();
    const lowestPending = new Map<string, number>();
    for (const p of pending) {
      lowestPending.set(p.streamId, Math.min(lowestPending.get(p.streamId) ?? Infinity, p.version));
    }
    const byStream = new Map<string, EventDocument[]>();
    for (const c of candidates) byStream.set(c.streamId, [...(byStream.get(c.streamId) ?? []), c]);
    const ready: EventDocument[] = [];
    for (const [streamId, docs] of byStream) {
      docs.sort((a, b) => a.version - b.version);
      let next = lowestPending.get(streamId) ?? docs[0].version;
      for (const doc of docs) {
        if (doc.version !== next) break;
        ready.push(doc);
        next += 1;
      }
    }
    ready.sort((a, b) =>
      a.recordedAt < b.recordedAt ? -1 : a.recordedAt > b.recordedAt ? 1 : a.version - b.version,
    );
    return ready.map(toRecorded);
  }

  async markPublished(eventIds: readonly string[], at: Date = this.clock()): Promise<void> {
    if (eventIds.length === 0) return;
    await this.events.updateMany(
      { _id: { $in: [...eventIds] }, publishedAt: null },
      { $set: { publishedAt: at.toISOString() } },
    );
  }

  async unpublishedStats(): Promise<{ count: number; oldestRecordedAt: string | null }> {
    const count = await this.events.countDocuments({ publishedAt: null });
    const oldest = count
      ? await this.events
          .find({ publishedAt: null }, { projection: { recordedAt: 1 } })
          .sort({ recordedAt: 1 })
          .limit(1)
          .next()
      : null;
    return { count, oldestRecordedAt: oldest?.recordedAt ?? null };
  }

  // ---- audit --------------------------------------------------------------------------------------

  async verifyStream(streamId: string): Promise<ChainVerification> {
    return verifyStreamChain(streamId, await this.readStream(streamId, { raw: true }));
  }

  /** Verifies every stream's chain, reading the store once in {streamId, version} order. */
  async *verifyAll(): AsyncGenerator<ChainVerification> {
    let currentStream: string | null = null;
    let buffer: RecordedEvent[] = [];
    const cursor = this.events.find({}).sort({ streamId: 1, version: 1 });
    for await (const doc of cursor) {
      if (doc.streamId !== currentStream) {
        if (currentStream !== null) yield verifyStreamChain(currentStream, buffer);
        currentStream = doc.streamId;
        buffer = [];
      }
      buffer.push(toRecorded(doc));
    }
    if (currentStream !== null) yield verifyStreamChain(currentStream, buffer);
  }

  /** Every event in recording order (used by audits and to fill gaps in projections). */
  async *readAll(): AsyncGenerator<RecordedEvent> {
    for await (const doc of this.events.find({}).sort({ recordedAt: 1, streamId: 1, version: 1 })) {
      yield this.upcasters.upcast(toRecorded(doc));
    }
  }
}
