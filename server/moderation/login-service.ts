import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { Logger } from 'pino';
import type { SessionUser } from '../../shared/accounts.js';
import { DAY } from '../../shared/time.js';
import type { AuditLog } from '../db/audit-log.js';
import type { KnownAddressesRepository } from '../db/known-addresses-repository.js';
import type { SessionFactor } from '../db/sessions-repository.js';
import type { UserRecord, UsersRepository } from '../db/users-repository.js';
import type { SignInThrottle } from './login-throttle.js';
import type { PasswordHasher } from './passwords.js';
import { needsSecondFactor, type RelyingParty, type SecondFactors } from './second-factors.js';
import type { ActiveSession, SessionStore } from './session-store.js';

export type LoginResult =
  | { ok: true; user: SessionUser; token: string; expiresAt: number; enrolmentOnly: boolean }
  | { ok: false; reason: 'invalid_credentials' | 'otp_required' | 'invalid_otp' | 'account_disabled' }
  | { ok: false; reason: 'throttled'; retryAfterMs: number };

export interface LoginAttempt {
  name: string;
  password: string;
  otp?: string | undefined;
  /** The caller's address key (IPv6 by /64). */
  address: string;
  userAgent?: string | undefined;
}

/** A name that signed in from an address within this time still signs in from it past the name's rate. */
const KNOWN_ADDRESS_MS = 90 * DAY;

/**
 * Sign-in and sign-out. A wrong name and a wrong password take the same time and get the
 * same answer, and both count against the address and the name tried there (existing or
 * not), so that neither the answer, its timing nor a lockout tells which names exist. Only the
 * right password reveals that a second factor is needed.
 */
export class LoginService {
  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionStore,
    private readonly hasher: PasswordHasher,
    private readonly throttle: SignInThrottle,
    private readonly secondFactors: SecondFactors,
    private readonly knownAddresses: KnownAddressesRepository,
    private readonly audit: AuditLog,
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {}

  async login(attempt: LoginAttempt): Promise<LoginResult> {
    const { address } = attempt;
    const accountKey = attempt.name.normalize('NFC').toLowerCase();
    const admission = this.throttle.admit(accountKey, address);
    if (!admission.allowed) return { ok: false, reason: 'throttled', retryAfterMs: admission.retryAfterMs };
    const user = this.users.byName(attempt.name);
    if (admission.overNameRate && !this.mayPassNameRate(user, attempt)) {
      this.logger.warn({ address }, 'sign-in held by the name rate');
      return { ok: false, reason: 'throttled', retryAfterMs: admission.nameRetryAfterMs };
    }

    const locks = this.throttle.begin(accountKey, address);
    if (locks.addressLocked) this.logger.warn({ address }, 'sign-in locked out for an address');
    if (locks.nameAtAddressLocked) this.logger.warn({ address, account: accountKey }, 'sign-in locked out for a name at an address');

    const valid = await this.hasher.verify(attempt.password, user?.passwordHash);
    // The account may have been removed or changed while its password was being checked.
    const current = user && valid ? this.users.byId(user.id) : undefined;
    if (!current || current.passwordHash !== user!.passwordHash) {
      this.logger.info({ address }, 'failed sign-in');
      return { ok: false, reason: 'invalid_credentials' };
    }
    if (current.disabledAt !== null) return { ok: false, reason: 'account_disabled' };

    let factor: SessionFactor = 'password';
    if (this.secondFactors.hasAny(current)) {
      if (attempt.otp === undefined) {
        // The password was right: asking for the code is not a failure.
        this.throttle.succeed(accountKey, address);
        return { ok: false, reason: 'otp_required' };
      }
      const used = this.secondFactors.useOtp(current, attempt.otp);
      if (!used) {
        this.logger.info({ address }, 'wrong second factor');
        return { ok: false, reason: 'invalid_otp' };
      }
      factor = used;
    }
    this.throttle.succeed(accountKey, address);
    const enrolmentOnly = factor === 'password' && needsSecondFactor(current);
    return this.open(current, { address, userAgent: attempt.userAgent, secondFactor: factor, enrolmentOnly });
  }

  /** Signs in with a passkey alone: the device checked its owner (PIN or biometric). */
  async loginWithPasskey(response: AuthenticationResponseJSON, rp: RelyingParty, address: string, userAgent?: string): Promise<LoginResult> {
    const check = this.throttle.checkAddress(address);
    if (!check.allowed) return { ok: false, reason: 'throttled', retryAfterMs: check.retryAfterMs };
    const user = await this.secondFactors.verifyPasskeySignIn(response, rp);
    if (!user) {
      if (this.throttle.failAtAddress(address)) this.logger.warn({ address }, 'sign-in locked out for an address');
      this.logger.info({ address }, 'failed passkey sign-in');
      return { ok: false, reason: 'invalid_credentials' };
    }
    if (user.disabledAt !== null) return { ok: false, reason: 'account_disabled' };
    this.throttle.forgiveAddress(address);
    return this.open(user, { address, userAgent, secondFactor: 'passkey', enrolmentOnly: false });
  }

  logout(session: ActiveSession): void {
    this.sessions.revoke(session.id);
    this.audit.record({ actor: session.user.name, action: 'session.logout', target: `user:${session.user.name}` });
  }

  /**
   * Past the name's global rate, only the name's own people go on: from an address it signed in
   * from before, or with a code that would pass (checked before any password is).
   */
  private mayPassNameRate(user: UserRecord | undefined, attempt: LoginAttempt): boolean {
    if (!user) return false;
    if (this.knownAddresses.isKnown(user.id, attempt.address, this.now() - KNOWN_ADDRESS_MS)) return true;
    return attempt.otp !== undefined && this.secondFactors.otpWouldPass(user, attempt.otp);
  }

  private open(
    user: UserRecord,
    opening: { address: string; userAgent: string | undefined; secondFactor: SessionFactor; enrolmentOnly: boolean },
  ): LoginResult {
    const { token, expiresAt } = this.sessions.create(user.id, opening);
    // Only a full sign-in makes an address the account's own.
    if (!opening.enrolmentOnly) this.knownAddresses.remember(user.id, opening.address, this.now());
    this.audit.record({
      actor: user.name,
      action: 'session.login',
      target: `user:${user.name}`,
      after: { address: opening.address, secondFactor: opening.secondFactor, ...(opening.enrolmentOnly ? { enrolmentOnly: true } : {}) },
    });
    return { ok: true, user: { name: user.name, role: user.role }, token, expiresAt, enrolmentOnly: opening.enrolmentOnly };
  }
}
