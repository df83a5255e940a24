import { calendarDateOf, daysBetween, isCalendarDate } from './calendar-date';
import { isCountryCode, isRegion, REGIONS } from './geography';
import { isCurrencyCode } from './money';

describe('country codes (ISO 3166-1 alpha-2, uppercase)', () => {
  it.each(['KE', 'ZA', 'BR', 'IN', 'FR', 'US'])('accepts %s', (code) =>
    expect(isCountryCode(code)).toBe(true),
  );
  it.each(['ke', 'KEN', '404', 'ZZ', 'UK', '', 'K'])('refuses %p', (code) =>
    expect(isCountryCode(code)).toBe(false),
  );
});

describe('regions', () => {
  it('lists UN M49, ITU and UN-grouping slugs, without duplicates and without "global"', () => {
    expect(REGIONS).toEqual(
      expect.arrayContaining(['africa', 'arab-states', 'latin-america-caribbean', 'asia-pacific']),
    );
    expect(new Set(REGIONS).size).toBe(REGIONS.length);
    expect(REGIONS).not.toContain('global');
    REGIONS.forEach((region) => expect(region).toMatch(/^[a-z][a-z-]*$/));
  });
  it('does not take inherited object keys for regions', () => {
    expect(isRegion('toString')).toBe(false);
    expect(isRegion('Africa')).toBe(false);
  });
});

describe('currency codes (ISO 4217, uppercase)', () => {
  it.each(['USD', 'EUR', 'KES', 'XOF', 'CHF'])('accepts %s', (code) =>
    expect(isCurrencyCode(code)).toBe(true),
  );
  it.each(['usd', 'US', 'ABC', 'XXX', 'XTS', ''])('refuses %p', (code) =>
    expect(isCurrencyCode(code)).toBe(false),
  );
});

describe('calendar dates', () => {
  it.each(['2024-02-29', '2025-12-31', '2000-01-01'])('accepts %s', (date) =>
    expect(isCalendarDate(date)).toBe(true),
  );
  it.each([
    '2025-02-29',
    '2025-13-01',
    '2025-04-31',
    '2025-6-1',
    '2025-06-15T00:00:00Z',
    '0099-01-01',
    20250615,
  ])('refuses %p', (date) => expect(isCalendarDate(date)).toBe(false));
  it('reads instants in UTC', () => {
    expect(calendarDateOf(new Date('2025-06-15T23:30:00-02:00'))).toBe('2025-06-16');
    expect(calendarDateOf('2025-06-15T00:30:00+02:00')).toBe('2025-06-14');
  });
  it('counts whole days between dates', () => {
    expect(daysBetween('2025-01-01', '2026-01-01')).toBe(365);
    expect(daysBetween('2025-03-31', '2025-03-01')).toBe(-30);
  });
});
