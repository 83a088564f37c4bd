import {
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  ROLES,
  USER_NAME_PATTERN,
  type Role,
} from '../../shared/accounts.js';
import { AuditLog } from '../db/audit-log.js';
import type { Database } from '../db/database.js';
import { transaction } from '../db/transaction.js';
import { UsersRepository, type UserRecord } from '../db/users-repository.js';
import type { PasswordHasher } from './passwords.js';
import { SessionStore } from './session-store.js';

/** A request the account administrator must change (bad name, taken name, short password…). */
export class AccountError extends Error {}

/** The actor recorded in the audit trail for changes made with the command-line tool. */
export const CLI_ACTOR = 'cli';

export function checkPassword(password: string): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw new AccountError(`the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new AccountError(`the password must have at most ${MAX_PASSWORD_LENGTH} characters`);
  }
}

/** Creating, re-keying and removing accounts, each change in the audit trail. */
export class AccountAdmin {
  private readonly users: UsersRepository;
  private readonly audit: AuditLog;
  private readonly sessions: SessionStore;

  constructor(
    private readonly db: Database,
    private readonly hasher: PasswordHasher,
    private readonly now: () => number = Date.now,
  ) {
    this.users = new UsersRepository(db);
    this.audit = new AuditLog(db, now);
    this.sessions = new SessionStore(db);
  }

  async add(name: string, role: string, password: string, actor = CLI_ACTOR): Promise<UserRecord> {
    if (!USER_NAME_PATTERN.test(name)) {
      throw new AccountError('the name must be 1-64 letters, digits, dots, dashes, underscores or @, starting with a letter or digit');
    }
    if (!(ROLES as readonly string[]).includes(role)) throw new AccountError(`the role must be ${ROLES.join(' or ')}`);
    checkPassword(password);
    const hash = await this.hasher.hash(password);
    return transaction(this.db, () => {
      const user = this.users.add(name, role as Role, hash, this.now());
      if (!user) throw new AccountError(`there is already an account named "${name}"`);
      this.audit.record({ actor, action: 'user.add', target: `user:${user.name}`, after: { name: user.name, role: user.role } });
      return user;
    });
  }

  /** Sets a new password and closes the account's open sessions. */
  async setPassword(name: string, password: string, actor = CLI_ACTOR): Promise<void> {
    const user = this.require(name);
    checkPassword(password);
    const hash = await this.hasher.hash(password);
    transaction(this.db, () => {
      this.users.setPasswordHash(user.id, hash);
      this.sessions.revokeUser(user.id);
      this.audit.record({ actor, action: 'user.password', target: `user:${user.name}` });
    });
  }

  /** Deletes the account and its sessions; flags it made keep its name. */
  remove(name: string, actor = CLI_ACTOR): void {
    const user = this.require(name);
    transaction(this.db, () => {
      this.users.remove(user.id);
      this.audit.record({ actor, action: 'user.remove', target: `user:${user.name}`, before: { name: user.name, role: user.role } });
    });
  }

  list(): UserRecord[] {
    return this.users.all();
  }

  private require(name: string): UserRecord {
    const user = this.users.byName(name);
    if (!user) throw new AccountError(`there is no account named "${name}"`);
    return user;
  }
}
