import type { Role } from '../../shared/accounts.js';
import type { Database } from './database.js';

/** How a session was opened, beyond the password. */
export type SessionFactor = 'password' | 'totp' | 'recovery_code' | 'passkey';

export interface NewSession {
  tokenHash: string;
  publicId: string;
  userId: number;
  createdAt: number;
  expiresAt: number;
  address: string;
  userAgent: string | null;
  secondFactor: SessionFactor;
  /** May only enrol a second factor (or sign out) until one is enrolled. */
  enrolmentOnly: boolean;
}

/** A stored session, with the name and role of its user. */
export interface SessionRecord {
  tokenHash: string;
  publicId: string;
  userId: number;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  address: string | null;
  userAgent: string | null;
  secondFactor: SessionFactor | null;
  enrolmentOnly: boolean;
  userName: string;
  role: Role;
}

interface SessionRow {
  token_hash: string;
  public_id: string;
  user_id: number;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  address: string | null;
  user_agent: string | null;
  second_factor: SessionFactor | null;
  enrolment_only: number;
  name: string;
  role: Role;
}

const toSession = (row: SessionRow): SessionRecord => ({
  tokenHash: row.token_hash,
  publicId: row.public_id,
  userId: row.user_id,
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
  expiresAt: row.expires_at,
  address: row.address,
  userAgent: row.user_agent,
  secondFactor: row.second_factor,
  enrolmentOnly: row.enrolment_only === 1,
  userName: row.name,
  role: row.role,
});

const SELECT_SESSIONS = `SELECT s.*, u.name, u.role FROM sessions s JOIN users u ON u.id = s.user_id`;

/** Sessions, keyed by the SHA-256 of their token (the token itself is never stored). */
export class SessionsRepository {
  private readonly insert;
  private readonly select;
  private readonly selectOfUser;
  private readonly touch;
  private readonly lift;
  private readonly deleteOne;
  private readonly deleteByPublicId;
  private readonly deleteUser;
  private readonly deleteUserExcept;
  private readonly deleteExpired;

  constructor(db: Database) {
    this.insert = db.prepare(
      `INSERT INTO sessions (token_hash, public_id, user_id, created_at, last_seen_at, expires_at, address, user_agent, second_factor, enrolment_only)
       VALUES (@tokenHash, @publicId, @userId, @createdAt, @createdAt, @expiresAt, @address, @userAgent, @secondFactor, @enrolmentOnly)`,
    );
    this.select = db.prepare<[string], SessionRow>(`${SELECT_SESSIONS} WHERE s.token_hash = ?`);
    this.selectOfUser = db.prepare<[number], SessionRow>(`${SELECT_SESSIONS} WHERE s.user_id = ? ORDER BY s.last_seen_at DESC`);
    this.touch = db.prepare('UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?');
    this.lift = db.prepare('UPDATE sessions SET enrolment_only = 0 WHERE user_id = ?');
    this.deleteOne = db.prepare('DELETE FROM sessions WHERE token_hash = ?');
    this.deleteByPublicId = db.prepare<[number, string]>('DELETE FROM sessions WHERE user_id = ? AND public_id = ? RETURNING token_hash');
    this.deleteUser = db.prepare<[number]>('DELETE FROM sessions WHERE user_id = ? RETURNING token_hash');
    this.deleteUserExcept = db.prepare<[number, string]>(
      'DELETE FROM sessions WHERE user_id = ? AND token_hash <> ? RETURNING token_hash',
    );
    this.deleteExpired = db.prepare('DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?');
  }

  add(session: NewSession): void {
    this.insert.run({ ...session, enrolmentOnly: session.enrolmentOnly ? 1 : 0 });
  }

  get(tokenHash: string): SessionRecord | undefined {
    const row = this.select.get(tokenHash);
    return row && toSession(row);
  }

  /** A user's sessions, most recently active first. */
  ofUser(userId: number): SessionRecord[] {
    return this.selectOfUser.all(userId).map(toSession);
  }

  markSeen(tokenHash: string, at: number): void {
    this.touch.run(at, tokenHash);
  }

  /** The user enrolled a second factor: their enrolment-only sessions become full ones. */
  liftEnrolmentOnly(userId: number): void {
    this.lift.run(userId);
  }

  remove(tokenHash: string): void {
    this.deleteOne.run(tokenHash);
  }

  /** Ends one of a user's sessions by its public id; returns its token hash, if it existed. */
  removeByPublicId(userId: number, publicId: string): string | undefined {
    return (this.deleteByPublicId.get(userId, publicId) as { token_hash: string } | undefined)?.token_hash;
  }

  /** Ends a user's sessions (all, or all but `keepTokenHash`); returns their token hashes. */
  removeOfUser(userId: number, keepTokenHash?: string): string[] {
    const rows = (keepTokenHash === undefined ? this.deleteUser.all(userId) : this.deleteUserExcept.all(userId, keepTokenHash)) as {
      token_hash: string;
    }[];
    return rows.map((row) => row.token_hash);
  }

  /** Deletes the sessions that ended at `now` or were last seen at `idleSince` or before. */
  removeEnded(now: number, idleSince: number): void {
    this.deleteExpired.run(now, idleSince);
  }
}
