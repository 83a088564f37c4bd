import type { Reading, SeriesPoint } from '../../shared/types.js';
import type { ReadingsRepository } from './readings-repository.js';

/** The few ordered look-ups downsampling needs; an index seek each on SQLite. */
export interface SeriesLookup {
  /** Up to `limit` readings in [from, to], oldest first. */
  range(from: number, to: number, limit: number): Reading[];
  /** The earliest reading in [from, to). */
  firstIn(from: number, to: number): Reading | undefined;
  /** The latest reading in [from, to). */
  lastIn(from: number, to: number): Reading | undefined;
}

/**
 * At most `maxPoints` readings of [from, to] that keep the curve's shape.
 *
 * The range is cut into maxPoints/2 equal time buckets and each bucket keeps its first and
 * last reading. Amount and contributors are cumulative, so within a bucket those two are its
 * minimum and maximum: every jump, plateau and gap stays visible, to the width of a bucket.
 * It costs two index seeks per bucket, whatever the number of stored readings.
 */
export function downsample(lookup: SeriesLookup, from: number, to: number, maxPoints: number): Reading[] {
  const everything = lookup.range(from, to, maxPoints + 1);
  if (everything.length <= maxPoints) return everything;

  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const span = to - from + 1;
  const points: Reading[] = [];
  for (let index = 0; index < buckets; index++) {
    const start = from + Math.floor((span * index) / buckets);
    const end = from + Math.floor((span * (index + 1)) / buckets);
    if (end <= start) continue;
    const first = lookup.firstIn(start, end);
    if (!first) continue;
    points.push(first);
    const last = lookup.lastIn(start, end);
    if (last && last.at !== first.at) points.push(last);
  }
  return points;
}

/** A stored pot's series over [from, to] in its wire form, downsampled to at most `maxPoints`. */
export function potSeries(readings: ReadingsRepository, potId: string, from: number, to: number, maxPoints: number): SeriesPoint[] {
  const lookup: SeriesLookup = {
    range: (a, b, limit) => readings.range(potId, a, b, limit),
    firstIn: (a, b) => readings.firstIn(potId, a, b),
    lastIn: (a, b) => readings.lastIn(potId, a, b),
  };
  return downsample(lookup, from, to, maxPoints).map((reading) => [reading.at, reading.amountMinor, reading.contributors]);
}
