// Money in a report is summed as decimals, not as binary floating point: 0.1 + 0.2 USD is 0.3 USD, and the
// total does not depend on the order the pledges arrive in, so a rebuilt projection gives the same figure.

interface Decimal {
  /** The digits as an integer: 12.34 is 1234n at scale 2. */
  units: bigint;
  scale: number;
}

/**
 * The exact decimal sum of `values`, rounded once to the nearest number. Each value is read at its shortest
 * decimal spelling (the one JavaScript prints, and so the one that was entered and stored as JSON), which
 * works for any number of decimal places: 2-decimal dollars, 3-decimal dinars, 0-decimal yen.
 */
export function sumDecimals(values: readonly number[]): number {
  let total = 0n;
  let scale = 0;
  for (const value of values) {
    const decimal = decimalOf(value);
    if (decimal.scale > scale) {
      total *= 10n ** BigInt(decimal.scale - scale);
      scale = decimal.scale;
    }
    total += decimal.units * 10n ** BigInt(scale - decimal.scale);
  }
  return numberOf({ units: total, scale });
}

const NUMBER_SPELLING = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/;

function decimalOf(value: number): Decimal {
  const match = Number.isFinite(value) ? NUMBER_SPELLING.exec(String(value)) : null;
  if (!match) throw new RangeError(`Cannot sum ${String(value)}: not a finite number`);
  const [, sign, whole, fraction = '', exponent = '0'] = match;
  const units = BigInt(`${sign}${whole}${fraction}`);
  const scale = fraction.length - Number(exponent);
  return scale >= 0 ? { units, scale } : { units: units * 10n ** BigInt(-scale), scale: 0 };
}

function numberOf({ units, scale }: Decimal): number {
  if (scale === 0) return Number(units);
  const sign = units < 0n ? '-' : '';
  const digits = (units < 0n ? -units : units).toString().padStart(scale + 1, '0');
  return Number(`${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`);
}
