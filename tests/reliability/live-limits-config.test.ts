import { describe, expect, it } from 'vitest';
import { readSettings, SettingsError } from '../../server/config/settings.js';
import { TokenBucket } from '../../server/live/token-bucket.js';

describe('live limits: configuration and rate', () => {
  it('reads the limits from the environment, leaving the unset ones to their defaults', () => {
    const settings = readSettings({ LIVE_MAX_CONNECTIONS_PER_IP: '500', LIVE_MAX_QUEUED_KB: '256', LIVE_EVENT_BURST: '30' }, '/tmp');
    expect(settings.liveLimits).toEqual({ maxConnectionsPerAddress: 500, maxQueuedBytes: 256 * 1024, eventBurst: 30 });
    expect(readSettings({}, '/tmp').liveLimits).toEqual({});
  });

  it.each(['0', '-1', '1.5', 'lots', '99999999'])('refuses LIVE_EVENTS_PER_SECOND=%s, naming the variable', (value) => {
    expect(() => readSettings({ LIVE_EVENTS_PER_SECOND: value }, '/tmp')).toThrow(SettingsError);
    expect(() => readSettings({ LIVE_EVENTS_PER_SECOND: value }, '/tmp')).toThrow(`LIVE_EVENTS_PER_SECOND must be a whole number of at least 1, got "${value}"`);
  });

  it('lets a burst through at once, then the sustained rate', () => {
    let now = 0;
    const bucket = new TokenBucket(5, 10, () => now);
    const taken = () => Array.from({ length: 20 }, () => bucket.take()).filter(Boolean).length;
    expect(taken()).toBe(10);
    now += 1000;
    expect(taken()).toBe(5);
    now += 60_000;
    expect(taken()).toBe(10);
  });
});
