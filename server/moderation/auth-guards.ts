import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { CSRF_HEADER, type Role } from '../../shared/accounts.js';
import { HttpError } from '../http/errors.js';
import { readSessionToken } from './session-cookie.js';
import type { ActiveSession, SessionStore } from './session-store.js';
import { csrfTokenMatches } from './tokens.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The session found by `identify`, if any. */
export function sessionOf(res: Response): ActiveSession | undefined {
  return res.locals.moderationSession as ActiveSession | undefined;
}

/** `sessionOf` for handlers behind a guard, where a session is certain. */
export function requiredSession(res: Response): ActiveSession {
  const session = sessionOf(res);
  if (!session) throw new HttpError(401, 'not_signed_in', 'sign in first');
  return session;
}

export interface AuthGuards {
  /** Finds the caller's session, if any; never refuses a request. */
  identify: RequestHandler;
  /**
   * A signed-in moderator or admin: 401 without a live session; for any method but
   * GET/HEAD/OPTIONS, 403 unless the X-CSRF-Token header matches the session.
   */
  requireModerator: RequestHandler[];
  /** The same, for admins only (403 for a moderator). */
  requireAdmin: RequestHandler[];
}

export function createAuthGuards(sessions: SessionStore): AuthGuards {
  const identify: RequestHandler = (req, res, next) => {
    if (!('moderationSession' in res.locals)) {
      res.locals.moderationSession = sessions.resolve(readSessionToken(req.headers, req.secure));
    }
    next();
  };
  const requireRole =
    (roles: readonly Role[]): RequestHandler =>
    (req: Request, res: Response, next: NextFunction) => {
      const session = sessionOf(res);
      if (!session) throw new HttpError(401, 'not_signed_in', 'sign in first');
      if (!SAFE_METHODS.has(req.method) && !csrfTokenMatches(session.token, req.get(CSRF_HEADER))) {
        throw new HttpError(403, 'bad_csrf_token', `missing or wrong ${CSRF_HEADER} header`);
      }
      if (!roles.includes(session.user.role)) {
        throw new HttpError(403, 'forbidden', `this needs the ${roles.join(' or ')} role`);
      }
      next();
    };
  return {
    identify,
    requireModerator: [identify, requireRole(['moderator', 'admin'])],
    requireAdmin: [identify, requireRole(['admin'])],
  };
}
