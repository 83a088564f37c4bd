import { describe, expect, it } from 'vitest';
import { linkedInterval } from '../../client/src/dashboard/linked-interval.js';

describe('the interval a pot page link points at', () => {
  it('reads ISO-8601 or epoch milliseconds, as alerts write them', () => {
    expect(linkedInterval('?from=2019-01-09T22%3A00%3A00.000Z&to=2019-01-10T04%3A00%3A00.000Z')).toEqual({
      from: Date.UTC(2019, 0, 9, 22),
      to: Date.UTC(2019, 0, 10, 4),
    });
    expect(linkedInterval('?from=1000&to=2000')).toEqual({ from: 1000, to: 2000 });
  });

  it('ignores an address without one, or with a malformed or backward one', () => {
    for (const search of ['', '?from=1000', '?to=1000', '?from=yesterday&to=1000', '?from=2000&to=1000', '?from=2019-01-09T22:00&to=2019-01-10T04:00']) {
      expect({ search, interval: linkedInterval(search) }).toEqual({ search, interval: undefined });
    }
  });
});
