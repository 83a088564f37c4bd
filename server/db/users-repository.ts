import type { Role } from '../../shared/accounts.js';
import type { Database } from './database.js';

export interface UserRecord {
  id: number;
  name: string;
  role: Role;
  passwordHash: string;
  createdAt: number;
}

interface UserRow {
  id: number;
  name: string;
  role: Role;
  password_hash: string;
  created_at: number;
}

const toUser = (row: UserRow): UserRecord => ({
  id: row.id,
  name: row.name,
  role: row.role,
  passwordHash: row.password_hash,
  createdAt: row.created_at,
});

export class UsersRepository {
  private readonly selectByName;
  private readonly selectById;
  private readonly selectAll;
  private readonly insertUser;
  private readonly updatePassword;
  private readonly deleteUser;

  constructor(db: Database) {
    this.selectByName = db.prepare<[string], UserRow>('SELECT * FROM users WHERE name = ?');
    this.selectById = db.prepare<[number], UserRow>('SELECT * FROM users WHERE id = ?');
    this.selectAll = db.prepare<[], UserRow>('SELECT * FROM users ORDER BY name');
    this.insertUser = db.prepare(
      'INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
    );
    this.updatePassword = db.prepare('UPDATE users SET password_hash = ? WHERE id = ?');
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

  /** Deletes the account; its sessions go with it (ON DELETE CASCADE). */
  remove(id: number): void {
    this.deleteUser.run(id);
  }
}
