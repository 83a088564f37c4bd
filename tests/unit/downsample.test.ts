import { describe, expect, it } from 'vitest';
import type { Reading } from '../../shared/types.js';
import { downsample, type SeriesLookup } from '../../server/db/downsample.js';

/** The same look-ups as SQLite's, over a sorted array. */
function arrayLookup(readings: Reading[]): SeriesLookup & { calls: number } {
  const lookup = {
    calls: 0,
    range(from: number, to: number, limit: number) {
      lookup.calls++;
      return readings.filter((r) => r.at >= from && r.at <= to).slice(0, limit);
    },
    firstIn(from: number, to: number) {
      lookup.calls++;
      return readings.find((r) => r.at >= from && r.at < to);
    },
    lastIn(from: number, to: number) {
      lookup.calls++;
      return readings.findLast((r) => r.at >= from && r.at < to);
    },
  };
  return lookup;
}

const cumulative = (n: number, step = (i: number) => 1 + (i % 7)): Reading[] => {
  const readings: Reading[] = [];
  let amount = 0;
  for (let i = 0; i < n; i++) {
    amount += step(i);
    readings.push({ at: i * 1000, amountMinor: amount, contributors: i });
  }
  return readings;
};

describe('downsample', () => {
  it('returns everything when it fits', () => {
    const readings = cumulative(50);
    expect(downsample(arrayLookup(readings), 0, 49_000, 50)).toEqual(readings);
  });

  it('never returns more than asked, oldest first, keeping both ends', () => {
    const readings = cumulative(100_000);
    const points = downsample(arrayLookup(readings), 0, 99_999_000, 1000);
    expect(points.length).toBeLessThanOrEqual(1000);
    expect(points.length).toBeGreaterThan(990);
    expect(points[0]).toEqual(readings[0]);
    expect(points[points.length - 1]).toEqual(readings[readings.length - 1]);
    for (let i = 1; i < points.length; i++) expect(points[i]!.at).toBeGreaterThan(points[i - 1]!.at);
  });

  it('keeps a sudden jump sharp: the readings on both sides of it survive', () => {
    const readings = cumulative(100_000, (i) => (i === 61_234 ? 5_000_000 : 1));
    const points = downsample(arrayLookup(readings), 0, 99_999_000, 500);
    const before = points.findLast((p) => p.amountMinor < 5_000_000)!;
    const after = points.find((p) => p.amountMinor >= 5_000_000)!;
    expect(after.at - before.at).toBeLessThanOrEqual(2 * (100_000_000 / 250));
    expect(points.some((p) => p.at === 61_233_000)).toBe(false);
  });

  it('leaves gaps empty instead of inventing points', () => {
    const readings = [...cumulative(5000).slice(0, 1000), ...cumulative(5000).slice(4000)];
    const points = downsample(arrayLookup(readings), 0, 4_999_000, 200);
    expect(points.filter((p) => p.at > 1_000_000 && p.at < 4_000_000)).toEqual([]);
  });

  it('costs about two look-ups per bucket, whatever the history size', () => {
    const lookup = arrayLookup(cumulative(200_000));
    downsample(lookup, 0, 199_999_000, 1000);
    expect(lookup.calls).toBeLessThanOrEqual(1 + 1000);
  });
});
