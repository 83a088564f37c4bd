import type { Role } from '../../shared/accounts.js';
import type { Database } from './database.js';

/** A stored session, with the name and role of its user. */
export interface SessionRecord {
  tokenHash: string;
  userId: number;
  lastSeenAt: number;
  expiresAt: number;
  userName: string;
  role: Role;
}

interface SessionRow {
  token_hash: string;
  user_id: number;
  last_seen_at: number;
  expires_at: number;
  name: string;
  role: Role;
}

/** Sessions, keyed by the SHA-256 of their token (the token itself is never stored). */
export class SessionsRepository {
  private readonly insert;
  private readonly select;
  private readonly touch;
  private readonly deleteOne;
  private readonly deleteUser;
  private readonly deleteExpired;

  constructor(db: Database) {
    this.insert = db.prepare(
      'INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.select = db.prepare<[string], SessionRow>(
      `SELECT s.token_hash, s.user_id, s.last_seen_at, s.expires_at, u.name, u.role
       FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`,
    );
    this.touch = db.prepare('UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?');
    this.deleteOne = db.prepare('DELETE FROM sessions WHERE token_hash = ?');
    this.deleteUser = db.prepare('DELETE FROM sessions WHERE user_id = ?');
    this.deleteExpired = db.prepare('DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?');
  }

  add(tokenHash: string, userId: number, createdAt: number, expiresAt: number): void {
    this.insert.run(tokenHash, userId, createdAt, createdAt, expiresAt);
  }

  get(tokenHash: string): SessionRecord | undefined {
    const row = this.select.get(tokenHash);
    return (
      row && {
        tokenHash: row.token_hash,
        userId: row.user_id,
        lastSeenAt: row.last_seen_at,
        expiresAt: row.expires_at,
        userName: row.name,
        role: row.role,
      }
    );
  }

  markSeen(tokenHash: string, at: number): void {
    this.touch.run(at, tokenHash);
  }

  remove(tokenHash: string): void {
    this.deleteOne.run(tokenHash);
  }

  removeOfUser(userId: number): void {
    this.deleteUser.run(userId);
  }

  /** Deletes the sessions that ended at `now` or were last seen at `idleSince` or before. */
  removeEnded(now: number, idleSince: number): void {
    this.deleteExpired.run(now, idleSince);
  }
}
