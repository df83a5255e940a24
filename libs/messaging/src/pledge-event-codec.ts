import { IHeaders, Message } from 'kafkajs';
import { RecordedEvent } from '@ledger/event-store';

/** Stream ids are `pledge-<uuid>`; the Kafka key is the pledge id so one pledge's events stay in order. */
export function pledgeIdOf(streamId: string): string {
  return streamId.startsWith('pledge-') ? streamId.slice('pledge-'.length) : streamId;
}

/** Where the sequencer placed an event: its position in the transparency log and the topic partition. */
export interface LogPlacement {
  logIndex: number;
  partition: number;
}

export const LOG_INDEX_HEADER = 'log-index';

export function encodeEvent(event: RecordedEvent, placement?: LogPlacement): Message {
  return {
    key: pledgeIdOf(event.streamId),
    ...(placement ? { partition: placement.partition } : {}),
    value: JSON.stringify(event),
    headers: {
      'event-id': event.eventId,
      'event-type': event.type,
      'stream-id': event.streamId,
      'stream-version': String(event.version),
      'schema-version': String(event.schemaVersion),
      'event-hash': event.hash,
      ...(placement ? { [LOG_INDEX_HEADER]: String(placement.logIndex) } : {}),
    },
  };
}

export class UndecodableEventError extends Error {}

function header(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  if (value === undefined) return undefined;
  return Buffer.isBuffer(value)
    ? value.toString('utf8')
    : Array.isArray(value)
      ? String(value[0])
      : String(value);
}

/** The event's position in the transparency log, from its message header (undefined if it has none). */
export function logIndexOf(message: { headers?: IHeaders }): number | undefined {
  const value = header(message.headers, LOG_INDEX_HEADER);
  return value !== undefined && /^(0|[1-9][0-9]{0,15})$/.test(value) ? Number(value) : undefined;
}

export function decodeEvent(message: { value: Buffer | null; headers?: IHeaders }): RecordedEvent {
  if (!message.value) throw new UndecodableEventError('message has no value');
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.value.toString('utf8'));
  } catch {
    throw new UndecodableEventError('message value is not JSON');
  }
  const event = parsed as Partial<RecordedEvent>;
  if (
    typeof event !== 'object' ||
    event === null ||
    typeof event.streamId !== 'string' ||
    typeof event.version !== 'number' ||
    typeof event.type !== 'string' ||
    typeof event.eventId !== 'string'
  ) {
    throw new UndecodableEventError('message value is not a recorded event');
  }
  const headerVersion = header(message.headers, 'stream-version');
  if (headerVersion !== undefined && Number(headerVersion) !== event.version) {
    throw new UndecodableEventError('stream-version header disagrees with the payload');
  }
  return event as RecordedEvent;
}
