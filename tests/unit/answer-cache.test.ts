import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { AnswerCache } from '../../server/http/cached-answer.js';

describe('AnswerCache', () => {
  const body = JSON.stringify({ points: Array.from({ length: 500 }, (_, i) => [i, i * 3, i]) });

  it('builds an answer once and compresses it once per encoding, however many readers ask', () => {
    const cache = new AnswerCache();
    let builds = 0;
    const build = () => {
      builds++;
      return body;
    };
    const gzip = cache.bytesFor('a', 'gzip', build);
    expect(gunzipSync(gzip).toString()).toBe(body);
    expect(cache.bytesFor('a', 'gzip', build)).toBe(gzip);
    expect(cache.bytesFor('a', 'identity', build).toString()).toBe(body);
    const br = cache.bytesFor('a', 'br', build);
    expect(cache.bytesFor('a', 'br', build)).toBe(br);
    expect(builds).toBe(1);
  });

  it('lets the least recently used answers go beyond its size', () => {
    const cache = new AnswerCache(3 * body.length);
    cache.bytesFor('a', 'identity', () => body);
    cache.bytesFor('b', 'identity', () => body);
    cache.bytesFor('a', 'identity', () => body);
    cache.bytesFor('c', 'identity', () => body);
    cache.bytesFor('d', 'identity', () => body);
    let rebuilt = '';
    for (const key of ['a', 'b', 'c', 'd']) cache.bytesFor(key, 'identity', () => ((rebuilt += key), body));
    expect(rebuilt.startsWith('b')).toBe(true);
    expect(cache.size).toBeLessThanOrEqual(3);
  });
});
