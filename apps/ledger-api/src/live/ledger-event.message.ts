import { pledgeIdOfStream } from '@ledger/domain';
import { EventPrincipal, RecordedEvent } from '@ledger/event-store';

/**
 * What a live stream says about one ledger event: its position in the transparency log and its envelope.
 * Never its payload: a client that wants the terms or the report reads the pledge.
 */
export interface LedgerEventMessage {
  logIndex: number;
  eventId: string;
  streamId: string;
  /** null for a stream that is not a pledge's */
  pledgeId: string | null;
  version: number;
  type: string;
  occurredAt: string;
  recordedAt: string;
  principal: EventPrincipal;
}

export function ledgerEventMessage(logIndex: number, event: RecordedEvent): LedgerEventMessage {
  return {
    logIndex,
    eventId: event.eventId,
    streamId: event.streamId,
    pledgeId: pledgeIdOfStream(event.streamId) ?? null,
    version: event.version,
    type: event.type,
    occurredAt: event.occurredAt,
    recordedAt: event.recordedAt,
    principal: { id: event.principal.id, role: event.principal.role, name: event.principal.name },
  };
}
