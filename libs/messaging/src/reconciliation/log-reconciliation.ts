import { randomUUID } from 'node:crypto';
import { Kafka } from 'kafkajs';
import { eventKey, MongoEventStore, RecordedEvent } from '@ledger/event-store';
import { decodeEvent } from '../pledge-event-codec';

/** One event named in a reconciliation: enough to find it in the store and on the topic. */
export interface EventRef {
  streamId: string;
  version: number;
  eventId: string;
  recordedAt?: string;
  partition?: number;
  offset?: string;
}

export interface OrderViolation extends EventRef {
  /** The highest version of the stream seen on the topic before this one. */
  after: number;
}

export interface LogReconciliation {
  topic: string;
  checkedAt: string;
  durationMs: number;
  /** Events in the event store. */
  stored: number;
  /** Messages read from the topic, duplicates included, up to its end when the check began reading it. */
  onTopic: number;
  /** Stored events not on the topic yet whose outbox claim stands: committed and on their way. */
  pending: number;
  /** Stored events that are not on the topic and have no claim: never going to be published. */
  missing: EventRef[];
  /** Messages whose event is not in the store. */
  unknownOnTopic: EventRef[];
  /** Messages whose event differs (id or hash) from the one stored under its stream version. */
  mismatched: (EventRef & { storedEventId: string; storedHash: string; topicHash: string })[];
  /** A stream's version on the topic before its predecessor (within the stream's partition). */
  orderViolations: OrderViolation[];
  /** Further copies of an event already seen (harmless: delivery is at least once). */
  duplicates: number;
  /** Messages that are not a recorded event at all. */
  undecodable: number;
  /** Nothing missing, unknown, mismatched or out of order (duplicates and pending events are fine). */
  ok: boolean;
}

/** At most this many events are named per list; the counts are always complete. */
const NAMED_AT_MOST = 1000;

/**
 * Reconciles the event store with the pledge-event topic, both read from the beginning: every stored event
 * must be on the topic (or still pending in the outbox), every message must be a stored event, in per-stream
 * order. The reads are ordered so that a live ledger gives no false alarm: the store first, then the outbox
 * (an event whose claim is gone by then was acknowledged by Kafka before), then the topic up to the end
 * offsets taken after that; a message whose event was stored after the first read is looked up again.
 */
export async function reconcileLog(
  store: MongoEventStore,
  kafka: Kafka,
  topic: string,
  clock: () => Date = () => new Date(),
): Promise<LogReconciliation> {
  const started = clock();
  const stored = new Map<string, { eventId: string; hash: string; recordedAt: string }>();
  for await (const event of store.allEvents())
    stored.set(eventKey(event.streamId, event.version), {
      eventId: event.eventId,
      hash: event.hash,
      recordedAt: event.recordedAt,
    });
  const pendingKeys = await store.pendingKeys();

  const seen = new Set<string>();
  const highest = new Map<string, number>();
  const unknownKeys = new Map<string, EventRef & { hash: string }>();
  const result = {
    onTopic: 0,
    duplicates: 0,
    undecodable: 0,
    mismatched: [] as LogReconciliation['mismatched'],
    orderViolations: [] as OrderViolation[],
  };
  await readTopic(kafka, topic, (event, partition, offset) => {
    result.onTopic += 1;
    if (!event) {
      result.undecodable += 1;
      return;
    }
    const key = eventKey(event.streamId, event.version);
    const ref: EventRef = {
      streamId: event.streamId,
      version: event.version,
      eventId: event.eventId,
      recordedAt: event.recordedAt,
      partition,
      offset,
    };
    const top = highest.get(event.streamId) ?? 0;
    if (event.version > top + 1 && result.orderViolations.length < NAMED_AT_MOST)
      result.orderViolations.push({ ...ref, after: top });
    highest.set(event.streamId, Math.max(top, event.version));
    if (seen.has(key)) {
      result.duplicates += 1;
      return;
    }
    seen.add(key);
    const mine = stored.get(key);
    if (!mine) unknownKeys.set(key, { ...ref, hash: event.hash });
    else if (mine.eventId !== event.eventId || mine.hash !== event.hash)
      result.mismatched.push({
        ...ref,
        storedEventId: mine.eventId,
        storedHash: mine.hash,
        topicHash: event.hash,
      });
  });

  // Published after the store was read: look those up again (events are never changed once stored).
  const unknownOnTopic: EventRef[] = [];
  for (const [key, ref] of unknownKeys) {
    const [late] = await store.readStream(ref.streamId, {
      fromVersion: ref.version,
      toVersion: ref.version,
      raw: true,
    });
    if (!late) unknownOnTopic.push(ref);
    else if (late.eventId !== ref.eventId || late.hash !== ref.hash)
      result.mismatched.push({
        ...ref,
        storedEventId: late.eventId,
        storedHash: late.hash,
        topicHash: ref.hash,
      });
    seen.add(key);
  }

  let pending = 0;
  const missing: EventRef[] = [];
  let missingCount = 0;
  for (const [key, event] of stored) {
    if (seen.has(key)) continue;
    if (pendingKeys.has(key)) {
      pending += 1;
      continue;
    }
    missingCount += 1;
    if (missing.length < NAMED_AT_MOST)
      missing.push({ ...refOfKey(key), eventId: event.eventId, recordedAt: event.recordedAt });
  }
  const finished = clock();
  return {
    topic,
    checkedAt: finished.toISOString(),
    durationMs: finished.getTime() - started.getTime(),
    stored: stored.size,
    onTopic: result.onTopic,
    pending,
    missing,
    unknownOnTopic,
    mismatched: result.mismatched,
    orderViolations: result.orderViolations,
    duplicates: result.duplicates,
    undecodable: result.undecodable,
    ok:
      missingCount === 0 &&
      unknownOnTopic.length === 0 &&
      result.mismatched.length === 0 &&
      result.orderViolations.length === 0 &&
      result.undecodable === 0,
  };
}

function refOfKey(key: string): { streamId: string; version: number } {
  const cut = key.lastIndexOf(':');
  return { streamId: key.slice(0, cut), version: Number(key.slice(cut + 1)) };
}

/**
 * Reads every partition of the topic from its first offset to the end offset it has now, in order, with a
 * throwaway consumer group that commits nothing and is deleted afterwards.
 */
async function readTopic(
  kafka: Kafka,
  topic: string,
  onMessage: (event: RecordedEvent | null, partition: number, offset: string) => void,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `ledger-log-audit-${randomUUID()}`;
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const remaining = new Map<number, bigint>();
    for (const { partition, high, low } of ends)
      if (BigInt(high) > BigInt(low)) remaining.set(partition, BigInt(high));
    if (remaining.size === 0) return;
    const consumer = kafka.consumer({ groupId, maxBytesPerPartition: 8 * 2 ** 20 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            autoCommit: false,
            eachBatch: async ({ batch, heartbeat }) => {
              const end = remaining.get(batch.partition);
              if (end === undefined) return;
              for (const message of batch.messages) {
                if (BigInt(message.offset) >= end) break;
                let event: RecordedEvent | null = null;
                try {
                  event = decodeEvent(message);
                } catch {
                  event = null;
                }
                onMessage(event, batch.partition, message.offset);
              }
              await heartbeat();
              const last = batch.messages[batch.messages.length - 1];
              if (last && BigInt(last.offset) + 1n >= end) {
                remaining.delete(batch.partition);
                if (remaining.size === 0) resolve();
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}
