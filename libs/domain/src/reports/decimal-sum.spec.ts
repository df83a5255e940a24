import { sumDecimals } from './decimal-sum';

describe('sumDecimals', () => {
  it('adds cents without binary drift', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(sumDecimals([0.1, 0.2])).toBe(0.3);
    expect(sumDecimals(Array.from({ length: 100 }, () => 0.01))).toBe(1);
  });

  it('is zero for nothing and the value itself for one value', () => {
    expect(sumDecimals([])).toBe(0);
    expect(sumDecimals([19.99])).toBe(19.99);
  });

  it('handles any number of decimal places, and whole numbers', () => {
    expect(sumDecimals([1.001, 2.002, 0.0005])).toBe(3.0035);
    expect(sumDecimals([1_000_000, 250_000])).toBe(1_250_000);
    expect(sumDecimals([12_345_678.91, 0.09])).toBe(12_345_679);
  });

  it('reads numbers JavaScript prints in exponent form', () => {
    expect(sumDecimals([1e-7, 2e-7])).toBe(3e-7);
    expect(sumDecimals([1e21, 1e21])).toBe(2e21);
  });

  it('gives the same total in any order', () => {
    const amounts = [0.1, 0.7, 1234.56, 0.2, 99.99, 0.03];
    expect(sumDecimals([...amounts].reverse())).toBe(sumDecimals(amounts));
    expect(sumDecimals(amounts)).toBe(1335.58);
  });

  it('handles negative amounts', () => {
    expect(sumDecimals([0.3, -0.1])).toBe(0.2);
    expect(sumDecimals([-0.1, -0.2])).toBe(-0.3);
  });

  it('refuses values that are not finite numbers', () => {
    expect(() => sumDecimals([1, Number.NaN])).toThrow(RangeError);
    expect(() => sumDecimals([Number.POSITIVE_INFINITY])).toThrow(RangeError);
  });
});
