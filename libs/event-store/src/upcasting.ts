import { RecordedEvent } from './recorded-event';

/** Turns a stored payload of schema version `from` into version `from + 1`. */
export type Upcaster = (payload: unknown) => unknown;

/**
 * Stored events are never rewritten (DESIGN.md §3): a schema change registers an upcaster and old events
 * are brought to the current shape on read. Hashes are always checked against the stored form.
 */
export class UpcasterRegistry {
  private readonly steps = new Map<string, Upcaster>();
  private readonly current = new Map<string, number>();

  register(type: string, fromVersion: number, upcast: Upcaster): this {
    this.steps.set(`${type}@${fromVersion}`, upcast);
    this.current.set(type, Math.max(this.current.get(type) ?? 1, fromVersion + 1));
    return this;
  }

  currentVersion(type: string): number {
    return this.current.get(type) ?? 1;
  }

  upcast<E extends RecordedEvent>(event: E): E {
    let payload = event.payload;
    let version = event.schemaVersion;
    for (
      let step = this.steps.get(`${event.type}@${version}`);
      step;
      step = this.steps.get(`${event.type}@${version}`)
    ) {
      payload = step(payload);
      version += 1;
    }
    return version === event.schemaVersion ? event : { ...event, payload, schemaVersion: version };
  }
}
