import { UpcasterRegistry } from './upcasting';
import { RecordedEvent } from './recorded-event';

describe('UpcasterRegistry', () => {
  const stored = { type: 'ProgressReported', schemaVersion: 1, payload: { value: '12' } } as RecordedEvent;

  it('brings an old payload to the current schema version, step by step, without touching the stored event', () => {
    const registry = new UpcasterRegistry()
      .register('ProgressReported', 1, (p) => ({ value: Number((p as { value: string }).value) }))
      .register('ProgressReported', 2, (p) => ({ ...(p as object), evidence: [] }));
    expect(registry.currentVersion('ProgressReported')).toBe(3);
    expect(registry.upcast(stored)).toMatchObject({ schemaVersion: 3, payload: { value: 12, evidence: [] } });
    expect(stored.payload).toEqual({ value: '12' });
  });

  it('leaves events of types without upcasters as they are', () => {
    expect(new UpcasterRegistry().upcast(stored)).toBe(stored);
  });
});
