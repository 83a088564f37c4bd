import { RATE_BUCKET_MS, type RateBucket, type RateRow } from '../../shared/rate.js';
import type { Reading } from '../../shared/types.js';
import type { ReadingsRepository } from './readings-repository.js';

/** The look-ups a rate needs: one index seek per bucket boundary. */
export interface RateLookup {
  atOrBefore(at: number): Reading | undefined;
  first(): Reading | undefined;
}

/**
 * What was raised and how many joined within each bucket of [from, to]: differences of the
 * cumulative series at the buckets' ends, buckets aligned on multiples of their length since
 * the epoch (UTC midnight for days). Before the first reading nothing counts as raised: a pot
 * tracked from EUR 1M on does not show EUR 1M raised in its first bucket.
 */
export function rate(lookup: RateLookup, from: number, to: number, bucket: RateBucket): RateRow[] {
  const first = lookup.first();
  if (!first) return [];
  const length = RATE_BUCKET_MS[bucket];
  const start = Math.max(Math.floor(from / length) * length, Math.floor(first.at / length) * length);
  const valueAt = (at: number) => lookup.atOrBefore(at) ?? first;
  const rows: RateRow[] = [];
  let previous = valueAt(start - 1);
  for (let bucketStart = start; bucketStart <= to; bucketStart += length) {
    const current = valueAt(Math.min(bucketStart + length - 1, to));
    rows.push([bucketStart, current.amountMinor - previous.amountMinor, current.contributors - previous.contributors]);
    previous = current;
  }
  return rows;
}

/** How many buckets [from, to] spans. */
export const bucketCount = (from: number, to: number, bucket: RateBucket): number => {
  const length = RATE_BUCKET_MS[bucket];
  return Math.floor(to / length) - Math.floor(from / length) + 1;
};

export function potRate(readings: ReadingsRepository, potId: string, from: number, to: number, bucket: RateBucket): RateRow[] {
  return rate({ atOrBefore: (at) => readings.atOrBefore(potId, at), first: () => readings.first(potId) }, from, to, bucket);
}
