import type { Role } from '../../shared/accounts.js';
import { HOUR, MINUTE } from '../../shared/time.js';
import type { Database } from '../db/database.js';
import { hashToken, isWellFormedToken, newSessionToken } from './tokens.js';

export interface SessionLifetimes {
  /** A session ends this long after sign-in, however active. */
  absoluteMs: number;
  /** A session ends after this long without a request. */
  idleMs: number;
}

export const DEFAULT_SESSION_LIFETIMES: SessionLifetimes = { absoluteMs: 12 * HOUR, idleMs: HOUR };

export interface ActiveSession {
  /** The stored hash of the token: identifies the session on the server, opens nothing. */
  id: string;
  /** The token the browser presented (needed to derive its CSRF token). */
  token: string;
  user: { id: number; name: string; role: Role };
  expiresAt: number;
}

interface SessionRow {
  token_hash: string;
  user_id: number;
  last_seen_at: number;
  expires_at: number;
  name: string;
  role: Role;
}

/** Sessions in SQLite, keyed by the SHA-256 of their token. */
export class SessionStore {
  private readonly insert;
  private readonly select;
  private readonly touch;
  private readonly deleteOne;
  private readonly deleteUser;
  private readonly deleteExpired;

  constructor(
    db: Database,
    private readonly lifetimes: SessionLifetimes = DEFAULT_SESSION_LIFETIMES,
    private readonly now: () => number = Date.now,
  ) {
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

  /** Opens a session for a user; the returned token goes into the cookie and nowhere else. */
  create(userId: number): { token: string; expiresAt: number } {
    const now = this.now();
    this.purgeExpired();
    const token = newSessionToken();
    const expiresAt = now + this.lifetimes.absoluteMs;
    this.insert.run(hashToken(token), userId, now, now, expiresAt);
    return { token, expiresAt };
  }

  /**
   * The live session of a token, its idle clock restarted; undefined for an unknown, expired
   * or malformed token (an expired session is deleted on the spot).
   */
  resolve(token: string | undefined, options: { touch?: boolean } = {}): ActiveSession | undefined {
    if (!token || !isWellFormedToken(token)) return undefined;
    const id = hashToken(token);
    const row = this.select.get(id);
    if (!row) return undefined;
    const now = this.now();
    if (now >= row.expires_at || now - row.last_seen_at >= this.lifetimes.idleMs) {
      this.deleteOne.run(id);
      return undefined;
    }
    // One write a minute at most per session, not one per request.
    if ((options.touch ?? true) && now - row.last_seen_at >= Math.min(MINUTE, this.lifetimes.idleMs / 10)) {
      this.touch.run(now, id);
    }
    return { id, token, user: { id: row.user_id, name: row.name, role: row.role }, expiresAt: row.expires_at };
  }

  /** Still valid, without counting as activity (used by long-lived sockets). */
  isActive(id: string): boolean {
    const row = this.select.get(id);
    if (!row) return false;
    const now = this.now();
    return now < row.expires_at && now - row.last_seen_at < this.lifetimes.idleMs;
  }

  revoke(id: string): void {
    this.deleteOne.run(id);
  }

  revokeUser(userId: number): void {
    this.deleteUser.run(userId);
  }

  purgeExpired(): void {
    const now = this.now();
    this.deleteExpired.run(now, now - this.lifetimes.idleMs);
  }
}
