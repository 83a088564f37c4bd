import { DAY, HOUR, MINUTE } from './time.js';

/** The bucket lengths of the rate view: what was raised per 5 minutes, 15 minutes, hour or day. */
export const RATE_BUCKETS = ['5m', '15m', '1h', '1d'] as const;
export type RateBucket = (typeof RATE_BUCKETS)[number];

export const RATE_BUCKET_MS: Record<RateBucket, number> = { '5m': 5 * MINUTE, '15m': 15 * MINUTE, '1h': HOUR, '1d': DAY };

/** Most buckets one answer holds. */
export const MAX_RATE_BUCKETS = 5000;

/** `[start, amountMinor, contributors]`: raised and joined within the bucket that starts at `start` (epoch ms). */
export type RateRow = [number, number, number];

/** `GET /api/pots/:id/rate`. */
export interface RateResponse {
  potId: string;
  bucket: RateBucket;
  rows: RateRow[];
}
