import type { RequestHandler } from 'express';
import { TokenBucket } from '../live/token-bucket.js';
import { addressKey } from '../moderation/address-key.js';
import { HttpError } from './errors.js';

export interface RateLimit {
  perMinute: number;
  burst: number;
  /** Names what is limited in the refusal ("sign-in challenges", "exports"). */
  what: string;
}

/** Most addresses remembered; the least recently seen are forgotten first. */
const MAX_ADDRESSES = 50_000;

/**
 * A token bucket per caller address (IPv6 by /64) in front of a costly route: past it, `429`
 * with `Retry-After`. The address is Express's `req.ip`, so behind a proxy `TRUST_PROXY` decides.
 */
export function rateLimitPerAddress(limit: RateLimit, now: () => number = Date.now): RequestHandler {
  const buckets = new Map<string, TokenBucket>();
  const retryAfterSeconds = String(Math.max(1, Math.ceil(60 / limit.perMinute)));
  return (req, res, next) => {
    const key = addressKey(req.ip);
    let bucket = buckets.get(key);
    if (bucket) buckets.delete(key);
    else bucket = new TokenBucket(limit.perMinute / 60, limit.burst, now);
    buckets.set(key, bucket);
    if (buckets.size > MAX_ADDRESSES) buckets.delete(buckets.keys().next().value!);
    if (!bucket.take()) {
      res.set('Retry-After', retryAfterSeconds);
      throw new HttpError(429, 'rate_limited', `too many ${limit.what} from this address: try again in ${retryAfterSeconds} s`);
    }
    next();
  };
}
