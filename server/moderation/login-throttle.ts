import { HOUR, MINUTE, SECOND } from '../../shared/time.js';
import { TokenBucket } from '../live/token-bucket.js';

export interface ThrottleLimits {
  /** Failed attempts allowed before a lockout. */
  maxFailures: number;
  /** First lockout; each further one doubles, up to `maxLockMs`. */
  baseLockMs: number;
  maxLockMs: number;
  /** A key with no failure for this long starts afresh (failures and backoff forgotten). */
  forgetAfterMs: number;
}

/** Failures of one name from one address (IPv6 by /64): they never hold up that name elsewhere. */
export const NAME_AT_ADDRESS_LIMITS: ThrottleLimits = {
  maxFailures: 5,
  baseLockMs: 30 * SECOND,
  maxLockMs: 30 * MINUTE,
  forgetAfterMs: 24 * HOUR,
};

/** Failures from one address, whatever the names tried. */
export const ADDRESS_LIMITS: ThrottleLimits = {
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

export interface NameRate {
  /** Password checks per minute for one name, from all addresses together. */
  perMinute: number;
  burst: number;
}

/**
 * A distributed guesser, one attempt per address, still gets at most this many password
 * checks per name: about 8,600 a day, against passwords of 12 characters or more.
 */
export const NAME_RATE: NameRate = { perMinute: 6, burst: 10 };

export type SignInAdmission =
  | { allowed: false; retryAfterMs: number }
  /** `overNameRate`: the name's global rate is spent; only a known address or a second factor goes on. */
  | { allowed: true; overNameRate: boolean; nameRetryAfterMs: number };

/**
 * The three limits of a sign-in. Lockouts are per (name, address) and per address, so that
 * failures from one place never lock a name out anywhere else; across all addresses a name
 * is only rate-limited (a ceiling on the password checks spent on it), never locked.
 */
export class SignInThrottle {
  private readonly nameAtAddress: LoginThrottle;
  private readonly address: LoginThrottle;
  private readonly nameBuckets = new Map<string, TokenBucket>();

  constructor(
    private readonly limits: { nameAtAddress: ThrottleLimits; address: ThrottleLimits; nameRate: NameRate },
    private readonly now: () => number = Date.now,
    private readonly maxNames = 100_000,
  ) {
    this.nameAtAddress = new LoginThrottle(limits.nameAtAddress, now);
    this.address = new LoginThrottle(limits.address, now);
  }

  /** Checks the lockouts, then takes one of the name's tokens if one is left. */
  admit(name: string, address: string): SignInAdmission {
    const checks = [this.address.check(address), this.nameAtAddress.check(pairKey(name, address))];
    const retryAfterMs = Math.max(0, ...checks.map((check) => (check.allowed ? 0 : check.retryAfterMs)));
    if (retryAfterMs > 0) return { allowed: false, retryAfterMs };
    const bucket = this.bucketOf(name);
    if (bucket.take()) return { allowed: true, overNameRate: false, nameRetryAfterMs: 0 };
    return { allowed: true, overNameRate: true, nameRetryAfterMs: Math.ceil(60_000 / this.limits.nameRate.perMinute) };
  }

  /** Counts the attempt as failed before the password is checked; reports the lockouts it starts. */
  begin(name: string, address: string): { addressLocked: boolean; nameAtAddressLocked: boolean } {
    return { addressLocked: this.address.begin(address), nameAtAddressLocked: this.nameAtAddress.begin(pairKey(name, address)) };
  }

  /** The right password (and second factor): the failures of this name here are forgotten. */
  succeed(name: string, address: string): void {
    this.nameAtAddress.succeed(pairKey(name, address));
    this.address.forgive(address);
  }

  /** A check that needs no password (a passkey) failed: counts against the address alone. */
  failAtAddress(address: string): boolean {
    return this.address.begin(address);
  }

  /** An address-only attempt succeeded. */
  forgiveAddress(address: string): void {
    this.address.forgive(address);
  }

  /** Whether the address is locked out, and for how long. */
  checkAddress(address: string): ThrottleCheck {
    return this.address.check(address);
  }

  private bucketOf(name: string): TokenBucket {
    let bucket = this.nameBuckets.get(name);
    if (!bucket) {
      bucket = new TokenBucket(this.limits.nameRate.perMinute / 60, this.limits.nameRate.burst, this.now);
      this.nameBuckets.set(name, bucket);
      if (this.nameBuckets.size > this.maxNames) {
        const oldest = this.nameBuckets.keys().next().value;
        if (oldest !== undefined) this.nameBuckets.delete(oldest);
      }
    }
    return bucket;
  }
}

const pairKey = (name: string, address: string) => `${address}\u0000${name}`;
