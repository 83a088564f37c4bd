import type { Role } from '../../shared/accounts.js';
import { HOUR, MINUTE } from '../../shared/time.js';
import type { Database } from '../db/database.js';
import { SessionsRepository } from '../db/sessions-repository.js';
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

/** Sign-in sessions and their lifetimes; a token is stored only as its SHA-256. */
export class SessionStore {
  private readonly sessions: SessionsRepository;

  constructor(
    db: Database,
    private readonly lifetimes: SessionLifetimes = DEFAULT_SESSION_LIFETIMES,
    private readonly now: () => number = Date.now,
  ) {
    this.sessions = new SessionsRepository(db);
  }

  /** Opens a session for a user; the returned token goes into the cookie and nowhere else. */
  create(userId: number): { token: string; expiresAt: number } {
    const now = this.now();
    this.purgeExpired();
    const token = newSessionToken();
    const expiresAt = now + this.lifetimes.absoluteMs;
    this.sessions.add(hashToken(token), userId, now, expiresAt);
    return { token, expiresAt };
  }

  /**
   * The live session of a token, its idle clock restarted; undefined for an unknown, expired
   * or malformed token (an expired session is deleted on the spot).
   */
  resolve(token: string | undefined, options: { touch?: boolean } = {}): ActiveSession | undefined {
    if (!token || !isWellFormedToken(token)) return undefined;
    const id = hashToken(token);
    const session = this.sessions.get(id);
    if (!session) return undefined;
    const now = this.now();
    if (now >= session.expiresAt || now - session.lastSeenAt >= this.lifetimes.idleMs) {
      this.sessions.remove(id);
      return undefined;
    }
    // One write a minute at most per session, not one per request.
    if ((options.touch ?? true) && now - session.lastSeenAt >= Math.min(MINUTE, this.lifetimes.idleMs / 10)) {
      this.sessions.markSeen(id, now);
    }
    return {
      id,
      token,
      user: { id: session.userId, name: session.userName, role: session.role },
      expiresAt: session.expiresAt,
    };
  }

  /** Still valid, without counting as activity (used by long-lived sockets). */
  isActive(id: string): boolean {
    const session = this.sessions.get(id);
    if (!session) return false;
    const now = this.now();
    return now < session.expiresAt && now - session.lastSeenAt < this.lifetimes.idleMs;
  }

  revoke(id: string): void {
    this.sessions.remove(id);
  }

  revokeUser(userId: number): void {
    this.sessions.removeOfUser(userId);
  }

  purgeExpired(): void {
    const now = this.now();
    this.sessions.removeEnded(now, now - this.lifetimes.idleMs);
  }
}
