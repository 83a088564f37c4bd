import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { CSRF_HEADER, type Role } from '../../shared/accounts.js';
import { HttpError } from '../http/errors.js';
import { readSessionToken } from './session-cookie.js';
import type { ActiveSession, SessionStore } from './session-store.js';
import { csrfTokenMatches } from './tokens.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Any session the caller holds, an enrolment-only one included. */
export function anySessionOf(res: Response): ActiveSession | undefined {
  return res.locals.moderationSession as ActiveSession | undefined;
}

/**
 * The session found by `identify`, if it opens moderation: an enrolment-only session (an
 * account that must first enrol a second factor) counts as none.
 */
export function sessionOf(res: Response): ActiveSession | undefined {
  const session = anySessionOf(res);
  return session && !session.enrolmentOnly ? session : undefined;
}

/** The session of a handler behind a guard, where one is certain. */
export function requiredSession(res: Response): ActiveSession {
  const session = anySessionOf(res);
  if (!session) throw new HttpError(401, 'not_signed_in', 'sign in first');
  return session;
}

export interface AuthGuards {
  /** Finds the caller's session, if any; never refuses a request. */
  identify: RequestHandler;
  /**
   * Any signed-in account, one that must still enrol a second factor included (its own
   * account and sessions): 401 without a live session; for any method but GET/HEAD/OPTIONS,
   * 403 unless the X-CSRF-Token header matches the session.
   */
  requireSignedIn: RequestHandler[];
  /** The same for a moderator or admin with a full session (403 `second_factor_required` otherwise). */
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
    (roles: readonly Role[], enrolmentOnlyAllowed: boolean): RequestHandler =>
    (req: Request, res: Response, next: NextFunction) => {
      const session = anySessionOf(res);
      if (!session) throw new HttpError(401, 'not_signed_in', 'sign in first');
      if (!SAFE_METHODS.has(req.method) && !csrfTokenMatches(session.token, req.get(CSRF_HEADER))) {
        throw new HttpError(403, 'bad_csrf_token', `missing or wrong ${CSRF_HEADER} header`);
      }
      if (session.enrolmentOnly && !enrolmentOnlyAllowed) {
        throw new HttpError(403, 'second_factor_required', 'set up a second factor (an authenticator app or a passkey) on your account page first');
      }
      if (!roles.includes(session.user.role)) {
        throw new HttpError(403, 'forbidden', `this needs the ${roles.join(' or ')} role`);
      }
      next();
    };
  return {
    identify,
    requireSignedIn: [identify, requireRole(['moderator', 'admin'], true)],
    requireModerator: [identify, requireRole(['moderator', 'admin'], false)],
    requireAdmin: [identify, requireRole(['admin'], false)],
  };
}
