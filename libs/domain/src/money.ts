import { codes } from 'currency-codes';

export interface Money {
  /** Greater than zero. */
  amount: number;
  /** ISO 4217 alphabetic code, uppercase. */
  currency: string;
}

// ISO 4217 lists these, but they name no money: "no currency" and "for testing".
const NOT_MONEY = new Set(['XXX', 'XTS']);

const CURRENCY_CODES: ReadonlySet<string> = new Set(codes().filter((code) => !NOT_MONEY.has(code)));

/** ISO 4217 alphabetic code, uppercase only ("USD", not "usd"). */
export function isCurrencyCode(code: string): boolean {
  return typeof code === 'string' && /^[A-Z]{3}$/.test(code) && CURRENCY_CODES.has(code);
}
