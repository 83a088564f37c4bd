import { describe, expect, it } from 'vitest';
import { formatMoney, majorToMinor, minorDigits, minorToDecimalString } from '../../shared/money.js';

describe('majorToMinor', () => {
  it.each([
    [812345.5, 'EUR', 81234550],
    ['812345.50', 'EUR', 81234550],
    ['0.1', 'EUR', 10],
    [0.29, 'EUR', 29],
    [1.005, 'EUR', undefined],
    ['1400000', 'EUR', 140000000],
    [1234, 'JPY', 1234],
    ['1.234', 'KWD', 1234],
    ['  42.00 ', 'EUR', 4200],
  ])('%s %s -> %s', (input, currency, expected) => {
    const result = majorToMinor(input, currency);
    if (expected === undefined) expect(result.ok).toBe(false);
    else expect(result).toEqual({ ok: true, minor: expected });
  });

  it('is exact where floating point would not be', () => {
    expect(majorToMinor('0.07', 'EUR')).toEqual({ ok: true, minor: 7 });
    expect(majorToMinor(19.99, 'EUR')).toEqual({ ok: true, minor: 1999 });
    expect(majorToMinor('90071992547409.91', 'EUR')).toEqual({ ok: true, minor: 9007199254740991 });
  });

  it.each([
    [-1, 'must not be negative'],
    ['-1', 'must not be negative'],
    [Number.NaN, 'must be a finite number'],
    [Number.POSITIVE_INFINITY, 'must be a finite number'],
    ['1e5', 'must be a decimal number such as 1234.50'],
    ['12,50', 'must be a decimal number such as 1234.50'],
    ['', 'must be a decimal number such as 1234.50'],
    ['90071992547409.92', 'is too large'],
    [1e300, 'is too large'],
    ['1.234', 'has more than 2 decimal places for EUR'],
  ])('rejects %s (%s)', (input, reason) => {
    expect(majorToMinor(input, 'EUR')).toEqual({ ok: false, reason });
  });

  it('rounds half-up when asked, for sources that send floats', () => {
    expect(majorToMinor(0.1 + 0.2, 'EUR', { round: true })).toEqual({ ok: true, minor: 30 });
    expect(majorToMinor('2.675', 'EUR', { round: true })).toEqual({ ok: true, minor: 268 });
  });
});

describe('formatting', () => {
  it('knows the minor units of each currency', () => {
    expect([minorDigits('EUR'), minorDigits('JPY'), minorDigits('KWD')]).toEqual([2, 0, 3]);
  });

  it('writes minor amounts back as exact decimals', () => {
    expect(minorToDecimalString(81234550, 'EUR')).toBe('812345.50');
    expect(minorToDecimalString(5, 'EUR')).toBe('0.05');
    expect(minorToDecimalString(1234, 'JPY')).toBe('1234');
  });

  it('formats in the viewer locale', () => {
    expect(formatMoney(140000050, 'EUR', 'en-GB')).toBe('€1,400,000.50');
    expect(formatMoney(140000050, 'EUR', 'fr-FR').replace(/\s/g, ' ')).toBe('1 400 000,50 €');
    expect(formatMoney(140000050, 'EUR', 'en-GB', { wholeUnits: true })).toBe('€1,400,001');
  });
});
