// Dates without a time of day (deadlines, as-of dates) are 'YYYY-MM-DD' strings read in UTC, so the same
// pledge gives the same answers on every server whatever its time zone.

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** True for a real day in the form YYYY-MM-DD: '2025-02-29' and '2025-13-01' are not. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = CALENDAR_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Round-tripping rejects overflowing days and months; years 0-99 fail too (Date.UTC maps them to 19xx).
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The UTC calendar date of an instant: 2025-06-15T23:30:00-02:00 is '2025-06-16'. */
export function calendarDateOf(instant: Date | string): string {
  return new Date(instant).toISOString().slice(0, 10);
}

/** Whole days from one calendar date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / MS_PER_DAY);
}
