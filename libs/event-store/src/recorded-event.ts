/** Who caused an event: the authenticated principal of the request that decided it. */
export interface EventPrincipal {
  id: string;
  role: string;
  name: string;
}

/** An event as the event store keeps it and as it travels on Kafka (DESIGN.md §3). */
export interface RecordedEvent<TType extends string = string, TPayload = unknown> {
  eventId: string;
  streamId: string;
  version: number;
  type: TType;
  schemaVersion: number;
  occurredAt: string;
  recordedAt: string;
  principal: EventPrincipal;
  correlationId: string;
  causationId: string;
  idempotencyKey: string | null;
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
  occurredAt?: string;
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
