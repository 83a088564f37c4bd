import type { Logger } from 'pino';
import type { SessionUser } from '../../shared/accounts.js';
import type { AuditLog } from '../db/audit-log.js';
import type { UsersRepository } from '../db/users-repository.js';
import type { LoginThrottle } from './login-throttle.js';
import type { PasswordHasher } from './passwords.js';
import type { ActiveSession, SessionStore } from './session-store.js';

export type LoginResult =
  | { ok: true; user: SessionUser; token: string; expiresAt: number }
  | { ok: false; reason: 'invalid_credentials' }
  | { ok: false; reason: 'throttled'; retryAfterMs: number };

/**
 * Sign-in and sign-out. A wrong name and a wrong password take the same time and get the
 * same answer, and both count against the address and the name tried (existing or not),
 * so that neither the answer, its timing nor a lockout tells which names exist.
 */
export class LoginService {
  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionStore,
    private readonly hasher: PasswordHasher,
    private readonly throttles: { account: LoginThrottle; address: LoginThrottle },
    private readonly audit: AuditLog,
    private readonly logger: Logger,
  ) {}

  async login(name: string, password: string, address: string): Promise<LoginResult> {
    const accountKey = name.normalize('NFC').toLowerCase();
    const checks = [this.throttles.address.check(address), this.throttles.account.check(accountKey)];
    const retryAfterMs = Math.max(0, ...checks.map((check) => (check.allowed ? 0 : check.retryAfterMs)));
    if (retryAfterMs > 0) return { ok: false, reason: 'throttled', retryAfterMs };

    if (this.throttles.address.begin(address)) this.logger.warn({ address }, 'sign-in locked out for an address');
    if (this.throttles.account.begin(accountKey)) this.logger.warn({ account: accountKey }, 'sign-in locked out for an account name');

    const user = this.users.byName(name);
    const valid = await this.hasher.verify(password, user?.passwordHash);
    // The account may have been removed while its password was being checked.
    const current = user && valid ? this.users.byId(user.id) : undefined;
    if (!current || current.passwordHash !== user!.passwordHash) {
      this.logger.info({ address }, 'failed sign-in');
      return { ok: false, reason: 'invalid_credentials' };
    }
    this.throttles.account.succeed(accountKey);
    this.throttles.address.forgive(address);
    const { token, expiresAt } = this.sessions.create(current.id);
    this.audit.record({
      actor: current.name,
      action: 'session.login',
      target: `user:${current.name}`,
      after: { address },
    });
    return { ok: true, user: { name: current.name, role: current.role }, token, expiresAt };
  }

  logout(session: ActiveSession): void {
    this.sessions.revoke(session.id);
    this.audit.record({ actor: session.user.name, action: 'session.logout', target: `user:${session.user.name}` });
  }
}
