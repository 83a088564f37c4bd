import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rate, type RateLookup } from '../../server/db/rate.js';
import { HOUR, MINUTE } from '../../shared/time.js';
import type { Reading } from '../../shared/types.js';

/** The look-ups of a sorted array of readings, as the repository answers them. */
function lookup(readings: readonly Reading[]): RateLookup {
  return {
    first: () => readings[0],
    atOrBefore: (at) => [...readings].reverse().find((reading) => reading.at <= at),
  };
}

const T0 = Date.UTC(2019, 0, 9, 22, 0);
const reading = (minutes: number, amountMinor: number, contributors: number): Reading => ({ at: T0 + minutes * MINUTE, amountMinor, contributors });

describe('raised and joined per bucket', () => {
  it('takes differences of the cumulative figures at the ends of buckets aligned on the clock', () => {
    const readings = [reading(2, 1000, 10), reading(7, 1500, 12), reading(14, 1500, 12), reading(31, 4000, 20)];
    expect(rate(lookup(readings), T0, T0 + 35 * MINUTE, '15m')).toEqual([
      [T0, 500, 2],
      [T0 + 15 * MINUTE, 0, 0],
      [T0 + 30 * MINUTE, 2500, 8],
    ]);
  });

  it('counts nothing as raised before the first reading; a bucket holds what its readings added since the one before', () => {
    const readings = [reading(0, 100_000_000, 5000), reading(90, 100_050_000, 5010)];
    expect(rate(lookup(readings), T0 - 5 * HOUR, T0 + 2 * HOUR, '1h')).toEqual([
      [T0, 0, 0],
      [T0 + HOUR, 50_000, 10],
      [T0 + 2 * HOUR, 0, 0],
    ]);
    expect(rate(lookup(readings), T0 + HOUR + 30 * MINUTE, T0 + 2 * HOUR, '5m').slice(0, 2)).toEqual([
      [T0 + 90 * MINUTE, 50_000, 10],
      [T0 + 95 * MINUTE, 0, 0],
    ]);
    expect(rate(lookup([]), T0, T0 + HOUR, '5m')).toEqual([]);
  });

  it('adds up to the rise of the curve over any range, whatever the bucket', () => {
    const series = fc
      .array(fc.tuple(fc.integer({ min: 1, max: 600 }), fc.nat(100_000), fc.nat(50)), { minLength: 1, maxLength: 60 })
      .map((steps) => {
        let at = T0;
        let amount = 0;
        let people = 0;
        return steps.map(([gap, raised, joined]) => ({ at: (at += gap * MINUTE), amountMinor: (amount += raised), contributors: (people += joined) }));
      });
    fc.assert(
      fc.property(series, fc.constantFrom('5m', '15m', '1h', '1d' as const), (readings, bucket) => {
        const rows = rate(lookup(readings), readings[0]!.at, readings.at(-1)!.at, bucket);
        expect(rows.reduce((sum, row) => sum + row[1], 0)).toBe(readings.at(-1)!.amountMinor - readings[0]!.amountMinor);
        expect(rows.reduce((sum, row) => sum + row[2], 0)).toBe(readings.at(-1)!.contributors - readings[0]!.contributors);
        expect(rows.every(([start], index) => index === 0 || start > rows[index - 1]![0])).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
