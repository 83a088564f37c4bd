import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Coalescer } from '../../server/live/coalescer.js';

describe('Coalescer', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const make = (delivered: Array<[string, number]>) =>
    new Coalescer<number>(
      250,
      (pending, next) => pending + next,
      (key, value) => delivered.push([key, value]),
    );

  it('delivers the first update after the caller is done, then at most one merged update per interval', () => {
    const delivered: Array<[string, number]> = [];
    const coalescer = make(delivered);
    coalescer.push('a', 1);
    expect(delivered).toEqual([]);
    vi.advanceTimersByTime(0);
    expect(delivered).toEqual([['a', 1]]);

    coalescer.push('a', 2);
    coalescer.push('a', 3);
    vi.advanceTimersByTime(249);
    expect(delivered).toEqual([['a', 1]]);
    vi.advanceTimersByTime(1);
    expect(delivered).toEqual([
      ['a', 1],
      ['a', 5],
    ]);
  });

  it('keeps keys apart', () => {
    const delivered: Array<[string, number]> = [];
    const coalescer = make(delivered);
    coalescer.push('a', 1);
    coalescer.push('b', 10);
    coalescer.push('a', 2);
    vi.advanceTimersByTime(0);
    expect(delivered).toEqual([
      ['a', 3],
      ['b', 10],
    ]);
  });

  it('delivers what is pending on close and nothing after', () => {
    const delivered: Array<[string, number]> = [];
    const coalescer = make(delivered);
    coalescer.push('a', 1);
    vi.advanceTimersByTime(0);
    coalescer.push('a', 2);
    coalescer.close();
    expect(delivered).toEqual([
      ['a', 1],
      ['a', 2],
    ]);
    coalescer.push('a', 3);
    vi.advanceTimersByTime(1000);
    expect(delivered).toHaveLength(2);
  });
});
