import type { Role } from '../../shared/accounts.js';
import type { Database } from './database.js';

export interface UserRecord {
  id: number;
  name: string;
  role: Role;
  passwordHash: string;
  createdAt: number;
  disabledAt: number | null;
  /** An admin asked this account to enrol a second factor (admins always need one). */
  secondFactorRequired: boolean;
  /** Made by code that builds accounts for tests; never set through the API or the CLI. */
  secondFactorExempt: boolean;
  /** The confirmed TOTP secret (base32), if enrolled. */
  totpSecret: string | null;
  /** A TOTP secret shown for enrolment, waiting for its first code. */
  totpPendingSecret: string | null;
  /** The last TOTP time step accepted: a code is accepted once. */
  totpLastStep: number | null;
}

interface UserRow {
  id: number;
  name: string;
  role: Role;
  password_hash: string;
  created_at: number;
  disabled_at: number | null;
  second_factor_required: number;
  second_factor_exempt: number;
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_last_step: number | null;
}

const toUser = (row: UserRow): UserRecord => ({
  id: row.id,
  name: row.name,
  role: row.role,
  passwordHash: row.password_hash,
  createdAt: row.created_at,
  disabledAt: row.disabled_at,
  secondFactorRequired: row.second_factor_required === 1,
  secondFactorExempt: row.second_factor_exempt === 1,
  totpSecret: row.totp_secret,
  totpPendingSecret: row.totp_pending_secret,
  totpLastStep: row.totp_last_step,
});

export class UsersRepository {
  private readonly selectByName;
  private readonly selectById;
  private readonly selectAll;
  private readonly insertUser;
  private readonly updatePassword;
  private readonly updateRole;
  private readonly updateDisabled;
  private readonly updateRequired;
  private readonly updateExempt;
  private readonly updatePendingTotp;
  private readonly confirmPendingTotp;
  private readonly clearTotpColumns;
  private readonly acceptStep;
  private readonly deleteUser;

  constructor(db: Database) {
    this.selectByName = db.prepare<[string], UserRow>('SELECT * FROM users WHERE name = ?');
    this.selectById = db.prepare<[number], UserRow>('SELECT * FROM users WHERE id = ?');
    this.selectAll = db.prepare<[], UserRow>('SELECT * FROM users ORDER BY name');
    this.insertUser = db.prepare(
      'INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
    );
    this.updatePassword = db.prepare('UPDATE users SET password_hash = ? WHERE id = ?');
    this.updateRole = db.prepare('UPDATE users SET role = ? WHERE id = ?');
    this.updateDisabled = db.prepare('UPDATE users SET disabled_at = ? WHERE id = ?');
    this.updateRequired = db.prepare('UPDATE users SET second_factor_required = ? WHERE id = ?');
    this.updateExempt = db.prepare('UPDATE users SET second_factor_exempt = ? WHERE id = ?');
    this.updatePendingTotp = db.prepare('UPDATE users SET totp_pending_secret = ? WHERE id = ?');
    this.confirmPendingTotp = db.prepare(
      `UPDATE users SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_last_step = ?
       WHERE id = ? AND totp_pending_secret = ?`,
    );
    this.clearTotpColumns = db.prepare(
      'UPDATE users SET totp_secret = NULL, totp_pending_secret = NULL, totp_last_step = NULL WHERE id = ?',
    );
    // Compare-and-set: of two requests with the same code, only one moves the step forward.
    this.acceptStep = db.prepare(
      'UPDATE users SET totp_last_step = ? WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)',
    );
    this.deleteUser = db.prepare('DELETE FROM users WHERE id = ?');
  }

  /** Names compare without regard to case: "Alice" and "alice" are one account. */
  byName(name: string): UserRecord | undefined {
    const row = this.selectByName.get(name);
    return row && toUser(row);
  }

  byId(id: number): UserRecord | undefined {
    const row = this.selectById.get(id);
    return row && toUser(row);
  }

  all(): UserRecord[] {
    return this.selectAll.all().map(toUser);
  }

  /** Returns the new account, or undefined when the name is taken. */
  add(name: string, role: Role, passwordHash: string, now: number): UserRecord | undefined {
    const { changes, lastInsertRowid } = this.insertUser.run(name, role, passwordHash, now);
    return changes === 1 ? this.byId(Number(lastInsertRowid)) : undefined;
  }

  setPasswordHash(id: number, passwordHash: string): void {
    this.updatePassword.run(passwordHash, id);
  }

  setRole(id: number, role: Role): void {
    this.updateRole.run(role, id);
  }

  setDisabledAt(id: number, disabledAt: number | null): void {
    this.updateDisabled.run(disabledAt, id);
  }

  setSecondFactorRequired(id: number, required: boolean): void {
    this.updateRequired.run(required ? 1 : 0, id);
  }

  setSecondFactorExempt(id: number, exempt: boolean): void {
    this.updateExempt.run(exempt ? 1 : 0, id);
  }

  setPendingTotpSecret(id: number, secret: string | null): void {
    this.updatePendingTotp.run(secret, id);
  }

  /** Makes the pending secret the account's TOTP secret; false if it changed meanwhile. */
  confirmTotp(id: number, pendingSecret: string, step: number): boolean {
    return this.confirmPendingTotp.run(step, id, pendingSecret).changes === 1;
  }

  clearTotp(id: number): void {
    this.clearTotpColumns.run(id);
  }

  /** Records `step` as used; false when it (or a later one) was used already. */
  acceptTotpStep(id: number, step: number): boolean {
    return this.acceptStep.run(step, id, step).changes === 1;
  }

  /** Deletes the account; its sessions go with it (ON DELETE CASCADE). */
  remove(id: number): void {
    this.deleteUser.run(id);
  }
}
