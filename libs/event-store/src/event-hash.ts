import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { GENESIS_HASH, RecordedEvent } from './recorded-event';

export type UnhashedEvent = Omit<RecordedEvent, 'hash'>;

/** The fields a hash covers, in a fixed shape; delivery bookkeeping (e.g. publishedAt) is not part of it. */
function hashedContent(event: UnhashedEvent): UnhashedEvent {
  return {
    eventId: event.eventId,
    streamId: event.streamId,
    version: event.version,
    type: event.type,
    schemaVersion: event.schemaVersion,
    occurredAt: event.occurredAt,
    recordedAt: event.recordedAt,
    principal: event.principal,
    correlationId: event.correlationId,
    causationId: event.causationId,
    idempotencyKey: event.idempotencyKey,
    // Only imported events have one; an absent field is left out, so every other event hashes as before.
    ...(event.provenance !== undefined ? { provenance: event.provenance } : {}),
    payload: event.payload,
    prevHash: event.prevHash,
  };
}

/** SHA-256 (hex) over the RFC 8785 canonical JSON form of the event without its own hash. */
export function hashEvent(event: UnhashedEvent): string {
  const canonical = canonicalize(hashedContent(event));
  if (canonical === undefined) throw new Error(`event ${event.eventId} cannot be canonicalised`);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

export type ChainBreak =
  | {
      kind: 'hash-mismatch';
      streamId: string;
      version: number;
      eventId: string;
      expected: string;
      stored: string;
    }
  | {
      kind: 'prev-hash-mismatch';
      streamId: string;
      version: number;
      eventId: string;
      expected: string;
      stored: string;
    }
  | { kind: 'version-gap'; streamId: string; version: number; expectedVersion: number };

export interface ChainVerification {
  streamId: string;
  eventsChecked: number;
  valid: boolean;
  firstBreak?: ChainBreak;
  headHash?: string;
}

/**
 * Walks one stream's events in version order and names the first broken link: an event whose content no
 * longer matches its hash, whose prevHash does not point at its predecessor, or a missing version.
 */
export function verifyStreamChain(streamId: string, events: readonly RecordedEvent[]): ChainVerification {
  let prevHash = GENESIS_HASH;
  let expectedVersion = 1;
  for (const event of events) {
    if (event.version !== expectedVersion) {
      return {
        streamId,
        eventsChecked: expectedVersion - 1,
        valid: false,
        firstBreak: { kind: 'version-gap', streamId, version: event.version, expectedVersion },
      };
    }
    if (event.prevHash !== prevHash) {
      return {
        streamId,
        eventsChecked: expectedVersion,
        valid: false,
        firstBreak: {
          kind: 'prev-hash-mismatch',
          streamId,
          version: event.version,
          eventId: event.eventId,
          expected: prevHash,
          stored: event.prevHash,
        },
      };
    }
    const recomputed = hashEvent(event);
    if (recomputed !== event.hash) {
      return {
        streamId,
        eventsChecked: expectedVersion,
        valid: false,
        firstBreak: {
          kind: 'hash-mismatch',
          streamId,
          version: event.version,
          eventId: event.eventId,
          expected: recomputed,
          stored: event.hash,
        },
      };
    }
    prevHash = event.hash;
    expectedVersion += 1;
  }
  return {
    streamId,
    eventsChecked: events.length,
    valid: true,
    headHash: events.length ? prevHash : undefined,
  };
}
