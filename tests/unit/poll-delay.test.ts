import { describe, expect, it } from 'vitest';
import { pollDelay, POLL_INTERVAL_MS } from '../../client/src/lib/live-feed.js';

describe('the embed’s polling rhythm', () => {
  it('spreads readers over ±25% of the interval', () => {
    expect(pollDelay(0, 0)).toBe(POLL_INTERVAL_MS * 0.75);
    expect(pollDelay(0, 0.5)).toBe(POLL_INTERVAL_MS);
    expect(pollDelay(0, 0.999_999)).toBeLessThanOrEqual(POLL_INTERVAL_MS * 1.25);
  });

  it('doubles the wait after each failure in a row, up to a minute', () => {
    expect([1, 2, 3].map((failures) => pollDelay(failures, 0.5))).toEqual([2, 4, 8].map((factor) => factor * POLL_INTERVAL_MS));
    expect(pollDelay(20, 0.5)).toBe(60_000);
    expect(pollDelay(20, 0.999_999)).toBeLessThanOrEqual(75_000);
  });
});
