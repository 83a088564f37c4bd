import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { readSettings, SettingsError } from '../../server/config/settings.js';

const read = (env: NodeJS.ProcessEnv) => readSettings(env, os.tmpdir());

describe('scale-out settings', () => {
  it('runs one process holding everything by default', () => {
    expect(read({})).toMatchObject({ role: 'all', clusterWorkers: 1, redisUrl: null, metricsToken: null });
  });

  it('reads the cluster size, Redis, role and metrics token', () => {
    expect(
      read({
        POTWATCH_CLUSTER_WORKERS: '4',
        REDIS_URL: 'redis://10.0.0.5:6379',
        POTWATCH_ROLE: 'fanout',
        POTWATCH_METRICS_TOKEN: '0123456789abcdef',
      }),
    ).toMatchObject({ role: 'fanout', clusterWorkers: 4, redisUrl: 'redis://10.0.0.5:6379', metricsToken: '0123456789abcdef' });
    expect(read({ POTWATCH_CLUSTER_WORKERS: 'auto' }).clusterWorkers).toBe(os.availableParallelism());
  });

  it('names the variable of a bad value', () => {
    const cases: Array<[NodeJS.ProcessEnv, RegExp]> = [
      [{ POTWATCH_ROLE: 'leader' }, /POTWATCH_ROLE must be all or fanout/],
      [{ POTWATCH_ROLE: 'fanout' }, /POTWATCH_ROLE=fanout needs REDIS_URL/],
      [{ REDIS_URL: 'localhost:6379' }, /REDIS_URL must be a redis:\/\//],
      [{ POTWATCH_CLUSTER_WORKERS: '0' }, /POTWATCH_CLUSTER_WORKERS must be/],
      [{ POTWATCH_CLUSTER_WORKERS: 'many' }, /POTWATCH_CLUSTER_WORKERS must be/],
      [{ POTWATCH_METRICS_TOKEN: 'short' }, /POTWATCH_METRICS_TOKEN must be at least 16/],
    ];
    for (const [env, message] of cases) {
      expect(() => read(env)).toThrow(SettingsError);
      expect(() => read(env)).toThrow(message);
    }
  });
});
