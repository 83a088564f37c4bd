import { HOUR, MINUTE, SECOND } from '../../shared/time.js';

export interface ThrottleLimits {
  /** Failed attempts allowed before a lockout. */
  maxFailures: number;
  /** First lockout; each further one doubles, up to `maxLockMs`. */
  baseLockMs: number;
  maxLockMs: number;
  /** A key with no failure for this long starts afresh (failures and backoff forgotten). */
  forgetAfterMs: number;
}

export const ACCOUNT_LIMITS: ThrottleLimits = {
  maxFailures: 5,
  baseLockMs: 30 * SECOND,
  maxLockMs: 30 * MINUTE,
  forgetAfterMs: 24 * HOUR,
};

export const IP_LIMITS: ThrottleLimits = {
  maxFailures: 20,
  baseLockMs: MINUTE,
  maxLockMs: HOUR,
  forgetAfterMs: 24 * HOUR,
};

interface KeyState {
  failures: number;
  lockouts: number;
  lockedUntil: number;
  lastFailureAt: number;
}

export type ThrottleCheck = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * Counts failed sign-ins per key (an IP address or an account name) and locks the key out
 * for a time that doubles with each lockout. An attempt is counted as failed as soon as it
 * starts and forgiven only if it succeeds, so that a burst of parallel guesses cannot slip
 * past the limit while the password hashes are being computed.
 */
export class LoginThrottle {
  private readonly keys = new Map<string, KeyState>();

  constructor(
    private readonly limits: ThrottleLimits,
    private readonly now: () => number = Date.now,
    /** Most keys remembered; the least recently failed are forgotten first. */
    private readonly maxKeys = 100_000,
  ) {}

  check(key: string): ThrottleCheck {
    const state = this.current(key);
    const now = this.now();
    if (state && state.lockedUntil > now) return { allowed: false, retryAfterMs: state.lockedUntil - now };
    return { allowed: true };
  }

  /** Records the start of an attempt as a failure; returns true when this starts a lockout. */
  begin(key: string): boolean {
    const now = this.now();
    let state = this.current(key);
    if (!state) state = { failures: 0, lockouts: 0, lockedUntil: 0, lastFailureAt: now };
    this.keys.delete(key);
    this.keys.set(key, state);
    state.failures++;
    state.lastFailureAt = now;
    this.evictOldest();
    if (state.failures < this.limits.maxFailures) return false;
    state.failures = 0;
    state.lockouts++;
    const lock = Math.min(this.limits.baseLockMs * 2 ** (state.lockouts - 1), this.limits.maxLockMs);
    state.lockedUntil = now + lock;
    return true;
  }

  /** The attempt succeeded: it does not count, and earlier failures are forgotten. */
  succeed(key: string): void {
    this.keys.delete(key);
  }

  /** The attempt succeeded but earlier failures still count (one address, many accounts). */
  forgive(key: string): void {
    const state = this.keys.get(key);
    if (state && state.failures > 0) state.failures--;
  }

  private current(key: string): KeyState | undefined {
    const state = this.keys.get(key);
    if (state && this.now() - state.lastFailureAt > this.limits.forgetAfterMs && state.lockedUntil <= this.now()) {
      this.keys.delete(key);
      return undefined;
    }
    return state;
  }

  private evictOldest(): void {
    while (this.keys.size > this.maxKeys) {
      const oldest = this.keys.keys().next().value;
      if (oldest === undefined) return;
      this.keys.delete(oldest);
    }
  }
}
