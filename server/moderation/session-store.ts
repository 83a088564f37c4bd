import { randomBytes } from 'node:crypto';
import type { Role } from '../../shared/accounts.js';
import { HOUR, MINUTE } from '../../shared/time.js';
import type { Database } from '../db/database.js';
import { SessionsRepository, type SessionFactor, type SessionRecord } from '../db/sessions-repository.js';
import { hashToken, isWellFormedToken, newSessionToken } from './tokens.js';

export interface SessionLifetimes {
  /** A session ends this long after sign-in, however active. */
  absoluteMs: number;
  /** A session ends after this long without a request. */
  idleMs: number;
}

export const DEFAULT_SESSION_LIFETIMES: SessionLifetimes = { absoluteMs: 12 * HOUR, idleMs: HOUR };

/** Longest user agent kept with a session: enough to tell devices apart. */
const USER_AGENT_LIMIT = 300;

export interface ActiveSession {
  /** The stored hash of the token: identifies the session on the server, opens nothing. */
  id: string;
  /** Names the session in lists; opens nothing either. */
  publicId: string;
  /** The token the browser presented (needed to derive its CSRF token). */
  token: string;
  user: { id: number; name: string; role: Role };
  expiresAt: number;
  /** Until a second factor is enrolled, the session may do nothing else. */
  enrolmentOnly: boolean;
}

export interface SessionOpening {
  address: string;
  userAgent: string | undefined;
  secondFactor: SessionFactor;
  enrolmentOnly: boolean;
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
  create(userId: number, opening: SessionOpening): { token: string; expiresAt: number; publicId: string } {
    const now = this.now();
    this.purgeExpired();
    const token = newSessionToken();
    const publicId = randomBytes(8).toString('hex');
    const expiresAt = now + this.lifetimes.absoluteMs;
    this.sessions.add({
      tokenHash: hashToken(token),
      publicId,
      userId,
      createdAt: now,
      expiresAt,
      address: opening.address,
      userAgent: opening.userAgent?.slice(0, USER_AGENT_LIMIT) ?? null,
      secondFactor: opening.secondFactor,
      enrolmentOnly: opening.enrolmentOnly,
    });
    return { token, expiresAt, publicId };
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
      publicId: session.publicId,
      token,
      user: { id: session.userId, name: session.userName, role: session.role },
      expiresAt: session.expiresAt,
      enrolmentOnly: session.enrolmentOnly,
    };
  }

  /** Still valid, without counting as activity (used by long-lived sockets). */
  isActive(id: string): boolean {
    const session = this.sessions.get(id);
    if (!session) return false;
    const now = this.now();
    return now < session.expiresAt && now - session.lastSeenAt < this.lifetimes.idleMs;
  }

  /** A user's live sessions, most recently active first. */
  ofUser(userId: number): SessionRecord[] {
    this.purgeExpired();
    return this.sessions.ofUser(userId);
  }

  revoke(id: string): void {
    this.sessions.remove(id);
  }

  /** Ends one session of a user by its public id; returns its id, if it was theirs. */
  revokeByPublicId(userId: number, publicId: string): string | undefined {
    return this.sessions.removeByPublicId(userId, publicId);
  }

  /** Ends every session of a user, or every one but `keepId`; returns their ids. */
  revokeUser(userId: number, keepId?: string): string[] {
    return this.sessions.removeOfUser(userId, keepId);
  }

  /** The user now has a second factor: their enrolment-only sessions become full ones. */
  completeEnrolment(userId: number): void {
    this.sessions.liftEnrolmentOnly(userId);
  }

  purgeExpired(): void {
    const now = this.now();
    this.sessions.removeEnded(now, now - this.lifetimes.idleMs);
  }
}
