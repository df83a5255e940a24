import { codes } from 'currency-codes';

export interface Money {
  /** Greater than zero. */
  amount: number;
  /** ISO 4217 alphabetic code, uppercase. */
  currency: string;
}

// ISO 4217 lists these, but they name no money: "no currency" and "for testing".
const NOT_MONEY = new Set(['XXX', 'XTS']);

/** Every currency a financial commitment may be in, sorted (the API's document lists them). */
export const CURRENCY_CODES: readonly string[] = Object.freeze(
  codes()
    .filter((code) => !NOT_MONEY.has(code))
    .sort(),
);

const KNOWN_CURRENCIES: ReadonlySet<string> = new Set(CURRENCY_CODES);

/** ISO 4217 alphabetic code, uppercase only ("USD", not "usd"). */
export function isCurrencyCode(code: string): boolean {
  return typeof code === 'string' && /^[A-Z]{3}$/.test(code) && KNOWN_CURRENCIES.has(code);
}
