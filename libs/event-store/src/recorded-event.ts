/** Who caused an event: the authenticated principal of the request that decided it. */
export interface EventPrincipal {
  id: string;
  role: string;
  name: string;
}

/**
 * Where an event recorded by a bulk import came from (absent on events written through the API). The
 * envelope's `principal` is whoever ran the import; this says what the import brought in and from where.
 */
export interface EventProvenance {
  kind: 'import';
  /** The import (GET /imports/{id}) that recorded the event. */
  importId: string;
  /** The tracker, registry or spreadsheet the history was taken from. */
  source: { name: string; url?: string; retrievedOn: string };
  /** Who wrote this record in the source (a person or office), as the source names them. */
  originalAuthor: string;
  /** The source's own reference of the pledge (the file's `pledgeId` column). */
  sourceRef: string;
  /** Row of the file (1 = the first record after a CSV header; the first line of JSON Lines). */
  row: number;
  /** SHA-256 of the row's content: a row already recorded is known by it, so re-importing adds nothing. */
  rowHash: string;
}

/** An event as the event store keeps it and as it travels on Kafka (DESIGN.md §3). */
export interface RecordedEvent<TType extends string = string, TPayload = unknown> {
  eventId: string;
  streamId: string;
  version: number;
  type: TType;
  schemaVersion: number;
  /**
   * When what the event declares happened in the world: the moment a pledge was made, amended, reported on,
   * verified, fulfilled or withdrawn (a progress report's own effective date is its payload's `asOf`). For a
   * write through the API it is the moment the ledger decided it (equal to recordedAt); an import carries the
   * date its source gives, which may be years earlier.
   */
  occurredAt: string;
  /** When the ledger stored the event (its own clock); never earlier than the events before it on any stream. */
  recordedAt: string;
  principal: EventPrincipal;
  correlationId: string;
  causationId: string;
  idempotencyKey: string | null;
  /** Present only on imported events; covered by the hash when present. */
  provenance?: EventProvenance;
  payload: TPayload;
  /** Hash of the previous event of the same stream; GENESIS_HASH for version 1. */
  prevHash: string;
  /** SHA-256 over the RFC 8785 canonical JSON of every field above. */
  hash: string;
}

/** An event decided by the domain, not yet given its place in a stream. */
export interface NewEvent<TType extends string = string, TPayload = unknown> {
  type: TType;
  payload: TPayload;
  schemaVersion?: number;
  /** Defaults to the recording time. */
  occurredAt?: string;
  provenance?: EventProvenance;
}

/** What the write side knows about the request that produced new events. */
export interface AppendMetadata {
  principal: EventPrincipal;
  correlationId: string;
  /** The command or request that caused the events; defaults to the correlation id. */
  causationId?: string;
  idempotencyKey?: string | null;
}

export const GENESIS_HASH = '0'.repeat(64);
