import { IHeaders, Message } from 'kafkajs';
import { RecordedEvent } from '@ledger/event-store';

/** Stream ids are `pledge-<uuid>`; the Kafka key is the pledge id so one pledge's events stay in order. */
export function pledgeIdOf(streamId: string): string {
  return streamId.startsWith('pledge-') ? streamId.slice('pledge-'.length) : streamId;
}

export function encodeEvent(event: RecordedEvent): Message {
  return {
    key: pledgeIdOf(event.streamId),
    value: JSON.stringify(event),
    headers: {
      'event-id': event.eventId,
      'event-type': event.type,
      'stream-id': event.streamId,
      'stream-version': String(event.version),
      'schema-version': String(event.schemaVersion),
      'event-hash': event.hash,
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
