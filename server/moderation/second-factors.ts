import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { AccountSecurity, TotpEnrolment } from '../../shared/accounts.js';
import { MINUTE } from '../../shared/time.js';
import type { AuditLog } from '../db/audit-log.js';
import type { Database } from '../db/database.js';
import { PasskeyChallengesRepository, PasskeysRepository } from '../db/passkeys-repository.js';
import { RecoveryCodesRepository } from '../db/recovery-codes-repository.js';
import type { SessionFactor } from '../db/sessions-repository.js';
import { transaction } from '../db/transaction.js';
import type { UserRecord, UsersRepository } from '../db/users-repository.js';
import { AccountError } from './account-admin.js';
import type { SessionStore } from './session-store.js';
import {
  hashRecoveryCode,
  looksLikeRecoveryCode,
  newRecoveryCodes,
  newTotpSecret,
  totpStep,
  totpUri,
} from './totp.js';

/** Where a passkey ceremony takes place: the site's origin and host name, as the browser sees them. */
export interface RelyingParty {
  origin: string;
  id: string;
}

const CHALLENGE_LIFETIME_MS = 5 * MINUTE;

/** Loaded on first use: most processes never see a passkey or a QR code, and start faster without them. */
const webauthn = () => import('@simplewebauthn/server');
const qrCode = async () => (await import('qrcode')).default;
const RP_NAME = 'Potwatch';

/** Whether an account must have a second factor before it may do anything but enrol one. */
export function needsSecondFactor(user: UserRecord): boolean {
  return !user.secondFactorExempt && (user.role === 'admin' || user.secondFactorRequired);
}

/**
 * TOTP (an authenticator app), one-time recovery codes and passkeys. TOTP codes are accepted
 * once each (the last step used is kept); recovery codes are kept hashed and used once;
 * passkeys need user verification (a PIN or biometric on the device), so a passkey alone signs in.
 */
export class SecondFactors {
  private readonly recoveryCodes: RecoveryCodesRepository;
  private readonly passkeys: PasskeysRepository;
  private readonly challenges: PasskeyChallengesRepository;

  constructor(
    private readonly db: Database,
    private readonly users: UsersRepository,
    private readonly sessions: SessionStore,
    private readonly audit: AuditLog,
    private readonly now: () => number,
  ) {
    this.recoveryCodes = new RecoveryCodesRepository(db);
    this.passkeys = new PasskeysRepository(db);
    this.challenges = new PasskeyChallengesRepository(db);
  }

  hasAny(user: UserRecord): boolean {
    return user.totpSecret !== null || this.passkeys.ofUser(user.id).length > 0;
  }

  security(user: UserRecord): AccountSecurity {
    return {
      name: user.name,
      role: user.role,
      secondFactorRequired: needsSecondFactor(user),
      totp: user.totpSecret !== null,
      passkeys: this.passkeys.ofUser(user.id).map(({ id, label, createdAt, lastUsedAt }) => ({ id, label, createdAt, lastUsedAt })),
      recoveryCodesLeft: this.recoveryCodes.unused(user.id),
    };
  }

  /** Counts of each account's factors, for the admin's list of users. */
  summary(user: UserRecord): { totp: boolean; passkeys: number } {
    return { totp: user.totpSecret !== null, passkeys: this.passkeys.ofUser(user.id).length };
  }

  /**
   * A code (TOTP or recovery) that would be accepted now, checked without using it up: lets a
   * sign-in past the name's global rate before any password is checked.
   */
  otpWouldPass(user: UserRecord | undefined, otp: string): boolean {
    if (!user) return false;
    if (looksLikeRecoveryCode(otp)) return this.recoveryCodes.hasUnused(user.id, hashRecoveryCode(otp));
    if (!user.totpSecret) return false;
    const step = totpStep(user.totpSecret, otp, this.now());
    return step !== undefined && (user.totpLastStep === null || step > user.totpLastStep);
  }

  /** Uses a code: `totp` or `recovery_code` when accepted (never twice), undefined otherwise. */
  useOtp(user: UserRecord, otp: string): Extract<SessionFactor, 'totp' | 'recovery_code'> | undefined {
    const now = this.now();
    if (looksLikeRecoveryCode(otp)) {
      const used = transaction(this.db, () => {
        if (!this.recoveryCodes.use(user.id, hashRecoveryCode(otp), now)) return false;
        this.audit.record({ actor: user.name, action: 'account.recovery_code_used', target: `user:${user.name}`, after: { left: this.recoveryCodes.unused(user.id) } });
        return true;
      });
      return used ? 'recovery_code' : undefined;
    }
    if (!user.totpSecret) return undefined;
    const step = totpStep(user.totpSecret, otp, now);
    return step !== undefined && this.users.acceptTotpStep(user.id, step) ? 'totp' : undefined;
  }

  /** Starts TOTP enrolment: a new secret, kept pending until a code from the app confirms it. */
  async beginTotp(user: UserRecord): Promise<TotpEnrolment> {
    if (user.totpSecret) throw new AccountError('an authenticator app is already set up: remove it first to set up another', 409, 'totp_enrolled');
    const secret = newTotpSecret();
    this.users.setPendingTotpSecret(user.id, secret);
    const uri = totpUri(secret, user.name);
    return { secret, uri, qrSvg: await (await qrCode()).toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }) };
  }

  /** Confirms TOTP with a first code; returns new recovery codes, shown this once. */
  confirmTotp(user: UserRecord, code: string): { recoveryCodes: string[] } {
    const pending = user.totpPendingSecret;
    if (!pending) throw new AccountError('start setting up an authenticator app first', 409, 'no_totp_enrolment');
    const now = this.now();
    const step = totpStep(pending, code, now);
    if (step === undefined) {
      throw new AccountError('this code does not match: check the time on the device and type the code shown now', 400, 'invalid_otp', 'code');
    }
    return transaction(this.db, () => {
      if (!this.users.confirmTotp(user.id, pending, step)) {
        throw new AccountError('the set-up changed meanwhile: start again', 409, 'no_totp_enrolment');
      }
      const recoveryCodes = this.replaceRecoveryCodes(user);
      this.enrolled(user, 'account.totp_enrol');
      return { recoveryCodes };
    });
  }

  removeTotp(user: UserRecord, actor: string): void {
    if (!user.totpSecret) throw new AccountError('no authenticator app is set up', 404, 'no_totp');
    this.keepOneFactor(user, this.passkeys.ofUser(user.id).length > 0);
    transaction(this.db, () => {
      this.users.clearTotp(user.id);
      this.audit.record({ actor, action: 'account.totp_remove', target: `user:${user.name}` });
    });
  }

  /** New recovery codes, replacing the old ones; shown this once. */
  renewRecoveryCodes(user: UserRecord): string[] {
    if (!this.hasAny(user)) throw new AccountError('set up an authenticator app or a passkey first', 409, 'no_second_factor');
    return transaction(this.db, () => {
      const codes = this.replaceRecoveryCodes(user);
      this.audit.record({ actor: user.name, action: 'account.recovery_codes_renew', target: `user:${user.name}` });
      return codes;
    });
  }

  async passkeyRegistrationOptions(user: UserRecord, rp: RelyingParty): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const options = await (await webauthn()).generateRegistrationOptions({
      rpName: RP_NAME,
      rpID: rp.id,
      userName: user.name,
      userID: new TextEncoder().encode(`potwatch-user-${user.id}`),
      attestationType: 'none',
      excludeCredentials: this.passkeys.ofUser(user.id).map((passkey) => ({ id: passkey.id, transports: passkey.transports })),
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      timeout: CHALLENGE_LIFETIME_MS,
    });
    const now = this.now();
    this.challenges.add(options.challenge, 'register', user.id, now + CHALLENGE_LIFETIME_MS, now);
    return options;
  }

  async registerPasskey(user: UserRecord, response: RegistrationResponseJSON, label: string, rp: RelyingParty): Promise<void> {
    const challenge = challengeOf(response.response.clientDataJSON);
    const owner = challenge === undefined ? undefined : this.challenges.consume(challenge, 'register', this.now());
    if (!owner || owner.userId !== user.id) {
      throw new AccountError('this passkey answer does not match a request of yours, or came too late: try again', 400, 'passkey_refused', 'response');
    }
    const verification = await (await webauthn()).verifyRegistrationResponse({
      response,
      expectedChallenge: challenge!,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
    }).catch((error: Error) => {
      throw new AccountError(`the passkey could not be checked: ${error.message}`, 400, 'passkey_refused', 'response');
    });
    if (!verification.verified) throw new AccountError('the passkey could not be verified', 400, 'passkey_refused', 'response');
    const { credential } = verification.registrationInfo;
    transaction(this.db, () => {
      if (this.passkeys.byId(credential.id)) throw new AccountError('this passkey is registered already', 409, 'passkey_exists', 'response');
      this.passkeys.add({
        id: credential.id,
        userId: user.id,
        publicKey: credential.publicKey,
        counter: credential.counter,
        transports: credential.transports ?? [],
        label,
        createdAt: this.now(),
      });
      this.enrolled(user, 'account.passkey_add', { label });
    });
  }

  removePasskey(user: UserRecord, passkeyId: string, actor: string): void {
    const others = this.passkeys.ofUser(user.id).filter((passkey) => passkey.id !== passkeyId);
    if (others.length === this.passkeys.ofUser(user.id).length) throw new AccountError('there is no such passkey', 404, 'no_passkey', 'id');
    this.keepOneFactor(user, user.totpSecret !== null || others.length > 0);
    transaction(this.db, () => {
      this.passkeys.remove(user.id, passkeyId);
      this.audit.record({ actor, action: 'account.passkey_remove', target: `user:${user.name}`, before: { passkey: passkeyId } });
    });
  }

  /** Options for signing in with a passkey: no name asked, so the answer reveals no account. */
  async passkeySignInOptions(rp: RelyingParty): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const options = await (await webauthn()).generateAuthenticationOptions({ rpID: rp.id, userVerification: 'required', timeout: CHALLENGE_LIFETIME_MS });
    const now = this.now();
    this.challenges.add(options.challenge, 'sign_in', null, now + CHALLENGE_LIFETIME_MS, now);
    return options;
  }

  /** The account a passkey answer signs in, or undefined for anything that does not verify. */
  async verifyPasskeySignIn(response: AuthenticationResponseJSON, rp: RelyingParty): Promise<UserRecord | undefined> {
    const challenge = challengeOf(response.response.clientDataJSON);
    if (challenge === undefined || !this.challenges.consume(challenge, 'sign_in', this.now())) return undefined;
    const passkey = this.passkeys.byId(response.id);
    if (!passkey) return undefined;
    const verification = await (await webauthn()).verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: { id: passkey.id, publicKey: passkey.publicKey, counter: passkey.counter, transports: passkey.transports },
      requireUserVerification: true,
    }).catch(() => undefined);
    if (!verification?.verified) return undefined;
    this.passkeys.recordUse(passkey.id, verification.authenticationInfo.newCounter, this.now());
    return this.users.byId(passkey.userId);
  }

  private replaceRecoveryCodes(user: UserRecord): string[] {
    const codes = newRecoveryCodes();
    this.recoveryCodes.replace(user.id, codes.map(hashRecoveryCode));
    return codes;
  }

  private enrolled(user: UserRecord, action: string, after?: unknown): void {
    this.sessions.completeEnrolment(user.id);
    this.audit.record({ actor: user.name, action, target: `user:${user.name}`, after });
  }

  private keepOneFactor(user: UserRecord, anotherLeft: boolean): void {
    if (needsSecondFactor(user) && !anotherLeft) {
      throw new AccountError('this account needs a second factor: add another before removing this one', 409, 'last_second_factor');
    }
  }
}

/** The challenge a browser signed, read from its client data; undefined when unreadable. */
function challengeOf(clientDataJSON: string): string | undefined {
  try {
    const data = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown };
    return typeof data.challenge === 'string' ? data.challenge : undefined;
  } catch {
    return undefined;
  }
}
