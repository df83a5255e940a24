import { hashEvent, verifyStreamChain } from './event-hash';
import { GENESIS_HASH, RecordedEvent } from './recorded-event';

function chain(payloads: unknown[]): RecordedEvent[] {
  let prevHash = GENESIS_HASH;
  return payloads.map((payload, i) => {
    const unhashed = {
      eventId: `e${i + 1}`,
      streamId: 'pledge-1',
      version: i + 1,
      type: 'ProgressReported',
      schemaVersion: 1,
      occurredAt: '2026-01-01T00:00:00.000Z',
      recordedAt: '2026-01-01T00:00:00.000Z',
      principal: { id: 'org-1', role: 'organisation', name: 'Org' },
      correlationId: 'c',
      causationId: 'c',
      idempotencyKey: null,
      payload,
      prevHash,
    };
    const hash = hashEvent(unhashed);
    prevHash = hash;
    return { ...unhashed, hash };
  });
}

describe('event hash chain', () => {
  it('does not depend on the order of object keys (RFC 8785 canonical form)', () => {
    const [event] = chain([{ a: 1, b: { c: 'x', d: [1, 2] } }]);
    const reordered = { ...event, payload: { b: { d: [1, 2], c: 'x' }, a: 1 } };
    expect(hashEvent(reordered)).toBe(event.hash);
  });

  it('ignores fields outside the envelope, such as delivery bookkeeping', () => {
    const [event] = chain([{ a: 1 }]);
    expect(hashEvent({ ...event, publishedAt: '2026-01-02T00:00:00Z' } as RecordedEvent)).toBe(event.hash);
  });

  it('accepts an untouched chain', () => {
    const result = verifyStreamChain('pledge-1', chain([{ v: 1 }, { v: 2 }, { v: 3 }]));
    expect(result).toMatchObject({ valid: true, eventsChecked: 3 });
  });

  it('names the edited event when a payload is changed in place', () => {
    const events = chain([{ v: 1 }, { v: 2 }, { v: 3 }]);
    events[1] = { ...events[1], payload: { v: 20 } };
    expect(verifyStreamChain('pledge-1', events).firstBreak).toMatchObject({
      kind: 'hash-mismatch',
      version: 2,
    });
  });

  it('detects an edit that recomputed the event own hash, at the next link', () => {
    const events = chain([{ v: 1 }, { v: 2 }, { v: 3 }]);
    const edited = { ...events[1], payload: { v: 20 } };
    events[1] = { ...edited, hash: hashEvent(edited) };
    expect(verifyStreamChain('pledge-1', events).firstBreak).toMatchObject({
      kind: 'prev-hash-mismatch',
      version: 3,
    });
  });

  it('detects a deleted event as a version gap', () => {
    const events = chain([{ v: 1 }, { v: 2 }, { v: 3 }]);
    expect(verifyStreamChain('pledge-1', [events[0], events[2]]).firstBreak).toMatchObject({
      kind: 'version-gap',
      version: 3,
      expectedVersion: 2,
    });
  });
});
