import { describe, expect, it } from 'vitest';
import { addressKey } from '../../server/moderation/address-key.js';
import { LoginThrottle, SignInThrottle } from '../../server/moderation/login-throttle.js';

const SECOND = 1000;
const LIMITS = { maxFailures: 3, baseLockMs: 10 * SECOND, maxLockMs: 35 * SECOND, forgetAfterMs: 3600 * SECOND };

function clock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('login throttle', () => {
  it('locks a key out after too many failures, then lets it try again', () => {
    const time = clock();
    const throttle = new LoginThrottle(LIMITS, time.now);
    expect(throttle.begin('alice')).toBe(false);
    expect(throttle.begin('alice')).toBe(false);
    expect(throttle.check('alice')).toEqual({ allowed: true });
    expect(throttle.begin('alice')).toBe(true);
    expect(throttle.check('alice')).toEqual({ allowed: false, retryAfterMs: 10 * SECOND });
    expect(throttle.check('bob')).toEqual({ allowed: true });
    time.advance(10 * SECOND);
    expect(throttle.check('alice')).toEqual({ allowed: true });
  });

  it('doubles each further lockout, up to the cap', () => {
    const time = clock();
    const throttle = new LoginThrottle(LIMITS, time.now);
    const locks: number[] = [];
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 3; i++) throttle.begin('alice');
      const check = throttle.check('alice');
      locks.push(check.allowed ? 0 : check.retryAfterMs);
      time.advance(60 * SECOND);
    }
    expect(locks).toEqual([10 * SECOND, 20 * SECOND, 35 * SECOND, 35 * SECOND]);
  });

  it('counts an attempt before it is checked, so parallel guesses cannot exceed the limit', () => {
    const throttle = new LoginThrottle(LIMITS, clock().now);
    const started = [];
    for (let i = 0; i < 10; i++) {
      if (!throttle.check('alice').allowed) break;
      throttle.begin('alice');
      started.push(i);
    }
    expect(started).toHaveLength(3);
  });

  it('forgets failures after a success, or forgives just one when asked', () => {
    const throttle = new LoginThrottle(LIMITS, clock().now);
    throttle.begin('alice');
    throttle.begin('alice');
    throttle.succeed('alice');
    throttle.begin('alice');
    throttle.begin('alice');
    expect(throttle.check('alice').allowed).toBe(true);

    throttle.begin('10.0.0.1');
    throttle.begin('10.0.0.1');
    throttle.forgive('10.0.0.1');
    expect(throttle.begin('10.0.0.1')).toBe(false);
    expect(throttle.begin('10.0.0.1')).toBe(true);
  });

  it('forgets a quiet key, backoff included', () => {
    const time = clock();
    const throttle = new LoginThrottle(LIMITS, time.now);
    for (let i = 0; i < 3; i++) throttle.begin('alice');
    time.advance(LIMITS.forgetAfterMs + 1);
    for (let i = 0; i < 3; i++) throttle.begin('alice');
    expect(throttle.check('alice')).toEqual({ allowed: false, retryAfterMs: 10 * SECOND });
  });

  it('remembers a bounded number of keys, forgetting the least recently failed first', () => {
    const throttle = new LoginThrottle(LIMITS, clock().now, 3);
    throttle.begin('a');
    throttle.begin('a');
    throttle.begin('b');
    throttle.begin('b');
    throttle.begin('c');
    throttle.begin('d');
    expect(throttle.begin('a')).toBe(false);
    expect(throttle.begin('c')).toBe(false);
    expect(throttle.begin('c')).toBe(true);
  });
});

describe('sign-in throttle: per name at an address, per address, and a rate per name', () => {
  const limits = { nameAtAddress: LIMITS, address: { ...LIMITS, maxFailures: 5 }, nameRate: { perMinute: 6, burst: 4 } };

  it('locks a name out at one address only', () => {
    const throttle = new SignInThrottle(limits, clock().now);
    for (let i = 0; i < 3; i++) throttle.begin('alice', 'attacker');
    expect(throttle.admit('alice', 'attacker')).toEqual({ allowed: false, retryAfterMs: 10 * SECOND });
    expect(throttle.admit('alice', 'newsroom')).toMatchObject({ allowed: true });
    expect(throttle.admit('bob', 'attacker')).toMatchObject({ allowed: true });
  });

  it('locks an address out whatever the names it tries', () => {
    const throttle = new SignInThrottle(limits, clock().now);
    for (let i = 0; i < 5; i++) throttle.begin(`name-${i}`, 'attacker');
    expect(throttle.admit('alice', 'attacker')).toMatchObject({ allowed: false });
    expect(throttle.admit('alice', 'newsroom')).toMatchObject({ allowed: true });
  });

  it('rates a name across addresses without ever locking it: a burst, then one check every 10 s', () => {
    const time = clock();
    const throttle = new SignInThrottle(limits, time.now);
    const admissions = Array.from({ length: 6 }, (_, i) => throttle.admit('alice', `address-${i}`));
    expect(admissions.map((admission) => admission.allowed && admission.overNameRate)).toEqual([false, false, false, false, true, true]);
    expect(admissions[5]).toEqual({ allowed: true, overNameRate: true, nameRetryAfterMs: 10 * SECOND });
    time.advance(10 * SECOND);
    expect(throttle.admit('alice', 'address-9')).toMatchObject({ overNameRate: false });
    expect(throttle.admit('alice', 'address-9')).toMatchObject({ overNameRate: true });
  });
});

describe('address keys', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    [undefined, 'unknown'],
  ])('%s counts as %s', (ip, key) => {
    expect(addressKey(ip)).toBe(key);
  });
});
