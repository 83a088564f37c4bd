import { describe, expect, it } from 'vitest';
import { workerSessionId } from '../../server/cluster.js';

describe('workerSessionId', () => {
  it('is a 20-character id of the shape sticky sessions route on, naming its worker', () => {
    const ids = new Set<string>();
    for (const workerId of [1, 2, 35, 36, 46655]) {
      const id = workerSessionId(workerId);
      expect(id).toMatch(/^[\w-]{20}$/);
      expect(`sid=${id}`).toMatch(/sid=([\w-]{20})/);
      expect(parseInt(id.slice(1, 4), 36)).toBe(workerId);
      ids.add(id);
    }
    expect(ids.size).toBe(5);
  });

  it('does not repeat', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => workerSessionId(1)));
    expect(ids.size).toBe(10_000);
  });
});
