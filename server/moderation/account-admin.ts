import {
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  ROLES,
  USER_NAME_PATTERN,
  type Role,
  type SessionUser,
} from '../../shared/accounts.js';
import { AuditLog } from '../db/audit-log.js';
import type { Database } from '../db/database.js';
import { PasskeysRepository } from '../db/passkeys-repository.js';
import { RecoveryCodesRepository } from '../db/recovery-codes-repository.js';
import { transaction } from '../db/transaction.js';
import { UsersRepository, type UserRecord } from '../db/users-repository.js';
import type { PasswordHasher } from './passwords.js';
import { SessionStore } from './session-store.js';

/** A request the account administrator must change (bad name, taken name, short password…). */
export class AccountError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 403 | 404 | 409 = 400,
    readonly code = 'invalid_account',
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The actor recorded in the audit trail for changes made with the command-line tool. */
export const CLI_ACTOR = 'cli';

export function checkPassword(password: string): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw new AccountError(`the password must have at least ${MIN_PASSWORD_LENGTH} characters`, 400, 'invalid_account', 'password');
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new AccountError(`the password must have at most ${MAX_PASSWORD_LENGTH} characters`, 400, 'invalid_account', 'password');
  }
}

export interface NewAccountOptions {
  /**
   * Never asks this account for a second factor, even as an admin. For accounts built by code
   * (test fixtures): neither the API nor the command line sets it.
   */
  secondFactorExempt?: boolean;
}

/** What an account change did to sessions: their ids, so that their live sockets can be closed too. */
export interface EndedSessions {
  endedSessions: string[];
}

/**
 * Creating, changing and removing accounts, each change in the audit trail. Called by the
 * command line (actor `cli`) and, for admins, through the API: `requireAdmin` first.
 */
export class AccountAdmin {
  private readonly users: UsersRepository;
  private readonly audit: AuditLog;
  private readonly sessions: SessionStore;
  private readonly passkeys: PasskeysRepository;
  private readonly recoveryCodes: RecoveryCodesRepository;

  constructor(
    private readonly db: Database,
    private readonly hasher: PasswordHasher,
    private readonly now: () => number = Date.now,
  ) {
    this.users = new UsersRepository(db);
    this.audit = new AuditLog(db, now);
    this.sessions = new SessionStore(db, undefined, now);
    this.passkeys = new PasskeysRepository(db);
    this.recoveryCodes = new RecoveryCodesRepository(db);
  }

  async add(name: string, role: string, password: string, actor = CLI_ACTOR, options: NewAccountOptions = {}): Promise<UserRecord> {
    if (!USER_NAME_PATTERN.test(name)) {
      throw new AccountError('the name must be 1-64 letters, digits, dots, dashes, underscores or @, starting with a letter or digit', 400, 'invalid_account', 'name');
    }
    if (!(ROLES as readonly string[]).includes(role)) throw new AccountError(`the role must be ${ROLES.join(' or ')}`, 400, 'invalid_account', 'role');
    checkPassword(password);
    const hash = await this.hasher.hash(password);
    return transaction(this.db, () => {
      const user = this.users.add(name, role as Role, hash, this.now());
      if (!user) throw new AccountError(`there is already an account named "${name}"`, 409, 'user_exists', 'name');
      if (options.secondFactorExempt) this.users.setSecondFactorExempt(user.id, true);
      this.audit.record({ actor, action: 'user.add', target: `user:${user.name}`, after: { name: user.name, role: user.role } });
      return this.users.byId(user.id)!;
    });
  }

  /** Sets a new password and closes the account's open sessions (but `keepSessionId`, the one changing it). */
  async setPassword(name: string, password: string, actor = CLI_ACTOR, keepSessionId?: string): Promise<EndedSessions> {
    const user = this.require(name);
    checkPassword(password);
    const hash = await this.hasher.hash(password);
    return transaction(this.db, () => {
      this.users.setPasswordHash(user.id, hash);
      const endedSessions = this.sessions.revokeUser(user.id, keepSessionId);
      this.audit.record({ actor, action: 'user.password', target: `user:${user.name}` });
      return { endedSessions };
    });
  }

  setRole(name: string, role: Role, actor: string): void {
    const user = this.require(name);
    if (user.role === role) return;
    transaction(this.db, () => {
      if (user.role === 'admin') this.keepAnAdmin(user, actor);
      this.users.setRole(user.id, role);
      this.audit.record({ actor, action: 'user.role', target: `user:${user.name}`, before: { role: user.role }, after: { role } });
    });
  }

  /** A disabled account cannot sign in; its sessions are closed at once. */
  setDisabled(name: string, disabled: boolean, actor: string): EndedSessions {
    const user = this.require(name);
    if ((user.disabledAt !== null) === disabled) return { endedSessions: [] };
    if (disabled && actor === user.name) throw new AccountError('you cannot disable your own account', 409, 'own_account', 'disabled');
    return transaction(this.db, () => {
      if (disabled && user.role === 'admin') this.keepAnAdmin(user, actor);
      this.users.setDisabledAt(user.id, disabled ? this.now() : null);
      const endedSessions = disabled ? this.sessions.revokeUser(user.id) : [];
      this.audit.record({ actor, action: disabled ? 'user.disable' : 'user.enable', target: `user:${user.name}` });
      return { endedSessions };
    });
  }

  /** Asks a moderator to enrol a second factor at their next sign-in (admins always must). */
  setSecondFactorRequired(name: string, required: boolean, actor: string): void {
    const user = this.require(name);
    if (user.secondFactorRequired === required) return;
    transaction(this.db, () => {
      this.users.setSecondFactorRequired(user.id, required);
      this.audit.record({ actor, action: 'user.second_factor_required', target: `user:${user.name}`, after: { required } });
    });
  }

  /** Deletes the account and its sessions; flags it made keep its name. */
  remove(name: string, actor = CLI_ACTOR): EndedSessions {
    const user = this.require(name);
    return transaction(this.db, () => {
      if (user.role === 'admin') this.keepAnAdmin(user, actor);
      const endedSessions = this.sessions.revokeUser(user.id);
      this.users.remove(user.id);
      this.audit.record({ actor, action: 'user.remove', target: `user:${user.name}`, before: { name: user.name, role: user.role } });
      return { endedSessions };
    });
  }

  /** For someone who lost every second factor: they sign in with their password and enrol again. */
  resetSecondFactor(name: string, actor = CLI_ACTOR): EndedSessions {
    const user = this.require(name);
    return transaction(this.db, () => {
      this.users.clearTotp(user.id);
      this.passkeys.removeOfUser(user.id);
      this.recoveryCodes.removeOfUser(user.id);
      const endedSessions = this.sessions.revokeUser(user.id);
      this.audit.record({ actor, action: 'user.second_factor_reset', target: `user:${user.name}` });
      return { endedSessions };
    });
  }

  list(): UserRecord[] {
    return this.users.all();
  }

  /** The account named, or a 404 naming the field `name`. */
  require(name: string): UserRecord {
    const user = this.users.byName(name);
    if (!user) throw new AccountError(`there is no account named "${name}"`, 404, 'user_not_found', 'name');
    return user;
  }

  /**
   * Through the API nobody may remove, demote or disable the last admin who can still sign in:
   * the console would be out of reach. The command line can always make a new admin.
   */
  private keepAnAdmin(leaving: UserRecord, actor: string): void {
    if (actor === CLI_ACTOR) return;
    const others = this.users.all().filter((user) => user.role === 'admin' && user.disabledAt === null && user.id !== leaving.id);
    if (others.length === 0) throw new AccountError(`"${leaving.name}" is the last admin who can sign in`, 409, 'last_admin');
  }
}

/** The access check of every account change made through the API. */
export function requireAdmin(actor: SessionUser): void {
  if (actor.role !== 'admin') throw new AccountError('this needs the admin role', 403, 'forbidden');
}
