// Commands arrive from outside (HTTP bodies, scripts), so the domain checks shapes itself instead of
// trusting the types: a malformed value must fail with its field named, never land in an event.
import { isCalendarDate } from './calendar-date';
import { DomainError, DomainErrorCode } from './domain-error';

/** A value as an error message should quote it: JSON, except numbers JSON cannot spell (NaN, Infinity). */
export function shown(value: unknown): string {
  return typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string that is not blank once trimmed; returned trimmed. */
export function requiredText(value: unknown, field: string, code: DomainErrorCode): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new DomainError(code, `${field} is required and must be non-blank text`, field);
  }
  return value.trim();
}

/** A string, possibly empty; returned trimmed. */
export function optionalText(value: unknown, field: string, code: DomainErrorCode): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new DomainError(code, `${field} must be text`, field);
  return value.trim();
}

/** An id chosen by the caller: non-empty, no surrounding blanks, at most 200 characters. */
export function identifier(value: unknown, field: string, code = DomainErrorCode.InvalidCommand): string {
  if (typeof value !== 'string' || value === '' || value.trim() !== value || value.length > 200) {
    throw new DomainError(code, `${field} must be a non-empty id without surrounding blanks`, field);
  }
  return value;
}

export function finiteNumber(value: unknown, field: string, code: DomainErrorCode): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new DomainError(code, `${field} must be a finite number, got ${shown(value)}`, field);
  }
  return value;
}

/** The largest indicator value or amount the ledger records: beyond it a number is a mistake (or an attack). */
export const LARGEST_MEASURE = 1e15;

/**
 * An indicator's baseline, target or reported value: a count, a share or a level, never negative, and
 * within a range that JSON, BSON and a spreadsheet all keep exactly as written.
 */
export function measure(value: unknown, field: string, code: DomainErrorCode): number {
  const number = finiteNumber(value, field, code);
  if (number < 0 || number > LARGEST_MEASURE) {
    throw new DomainError(code, `${field} must be between 0 and ${LARGEST_MEASURE}, got ${number}`, field);
  }
  return number;
}

export function calendarDate(value: unknown, field: string, code: DomainErrorCode): string {
  if (!isCalendarDate(value)) {
    throw new DomainError(
      code,
      `${field} must be a real calendar date in the form YYYY-MM-DD, got ${shown(value)}`,
      field,
    );
  }
  return value;
}

export function list(value: unknown, field: string, code: DomainErrorCode): unknown[] {
  if (!Array.isArray(value)) throw new DomainError(code, `${field} must be a list`, field);
  return value;
}

/** Evidence links: absolute http(s) URLs, so a reader can follow them. */
export function evidenceLinks(value: unknown, field: string): string[] {
  return list(value ?? [], field, DomainErrorCode.InvalidCommand).map((entry, index) => {
    const at = `${field}[${index}]`;
    if (typeof entry !== 'string' || !isHttpUrl(entry.trim())) {
      throw new DomainError(
        DomainErrorCode.InvalidCommand,
        `${at} must be an http(s) URL, got ${shown(entry)}`,
        at,
      );
    }
    return entry.trim();
  });
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
