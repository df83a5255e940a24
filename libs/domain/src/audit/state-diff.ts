// What changed between two versions of a pledge (or any JSON value), for auditors comparing versions.

export interface FieldChange {
  /** JSON Pointer (RFC 6901) to the changed value, e.g. /terms/targets/0/targetValue; '' for the whole value. */
  path: string;
  /** Undefined when the value was added. */
  before: unknown;
  /** Undefined when the value was removed. */
  after: unknown;
}

/**
 * Deep difference of two JSON values: objects compared key by key (in sorted key order), arrays index by index.
 * A value added, removed, of another kind (object, array, primitive, null) or a different primitive gives one
 * change at its path. Values are read as JSON would write them: a key holding undefined is absent, and a value
 * with toJSON (a Date) is compared by what it returns. Equal values give [].
 */
export function diffJson(before: unknown, after: unknown): FieldChange[] {
  const changes: FieldChange[] = [];
  collect(asJson(before), asJson(after), '', changes);
  return changes;
}

function collect(before: unknown, after: unknown, path: string, changes: FieldChange[]): void {
  if (Array.isArray(before) && Array.isArray(after)) {
    for (let index = 0; index < Math.max(before.length, after.length); index += 1) {
      const childPath = `${path}/${index}`;
      if (index >= after.length)
        changes.push({ path: childPath, before: asJson(before[index]), after: undefined });
      else if (index >= before.length)
        changes.push({ path: childPath, before: undefined, after: asJson(after[index]) });
      else collect(asJson(before[index]), asJson(after[index]), childPath, changes);
    }
    return;
  }
  if (isJsonObject(before) && isJsonObject(after)) {
    const keys = [...new Set([...presentKeys(before), ...presentKeys(after)])].sort();
    for (const key of keys) {
      collect(asJson(before[key]), asJson(after[key]), `${path}/${escapePointerToken(key)}`, changes);
    }
    return;
  }
  if (before !== after) changes.push({ path, before, after });
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function presentKeys(value: Record<string, unknown>): string[] {
  return Object.keys(value).filter((key) => value[key] !== undefined);
}

function asJson(value: unknown): unknown {
  const toJSON = (value as { toJSON?: unknown } | null | undefined)?.toJSON;
  return typeof toJSON === 'function' ? (toJSON as () => unknown).call(value) : value;
}

/** RFC 6901: '~' is written '~0' and '/' is written '~1'. */
function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}
