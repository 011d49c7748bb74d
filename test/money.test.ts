import { describe, expect, it } from 'vitest';
import { allocate, currencyExponent, formatMinor, MoneyFormatError, toMajorNumber, toMinor } from '../src/core/canonical/money.ts';

describe('money in minor units', () => {
  it('knows currencies with 0, 2 and 3 decimals', () => {
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('usd')).toBe(2);
    expect(currencyExponent('KWD')).toBe(3);
    expect(currencyExponent('BHD')).toBe(3);
  });

  it('parses decimal strings and floats exactly', () => {
    expect(toMinor('199.65', 2)).toBe(19965);
    expect(toMinor('-4.5', 2)).toBe(-450);
    expect(toMinor('1200', 0)).toBe(1200);
    expect(toMinor('12.345', 3)).toBe(12345);
    expect(toMinor(0.1 + 0.2, 2)).toBe(30);
    expect(toMinor(12.300000000000001, 2)).toBe(1230);
    expect(toMinor('1e2', 2)).toBe(10000);
    expect(toMinor('2.675', 2)).toBe(268); // half away from zero, decided on the digits, not the double
    expect(toMinor(null, 2)).toBe(0);
    expect(() => toMinor('12,50', 2)).toThrow(MoneyFormatError);
    expect(() => toMinor('abc', 2)).toThrow(MoneyFormatError);
  });

  it('formats back without drift', () => {
    expect(formatMinor(19965, 2)).toBe('199.65');
    expect(formatMinor(-5, 2)).toBe('-0.05');
    expect(formatMinor(1200, 0)).toBe('1200');
    expect(formatMinor(7, 3)).toBe('0.007');
    expect(toMajorNumber(19965, 2)).toBe(199.65);
  });

  it('allocates so the parts add up to the minor unit', () => {
    const parts = allocate(1000, [1, 1, 1]);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(parts).toEqual([334, 333, 333]);
    expect(allocate(-100, [3, 1])).toEqual([-75, -25]);
    expect(allocate(5, [0, 0])).toEqual([5, 0]);
  });
});
