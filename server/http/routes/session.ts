import { Router } from 'express';
import type { SessionInfo } from '../../../shared/accounts.js';
import { loginSchema } from '../../../shared/schemas.js';
import { addressKey } from '../../moderation/address-key.js';
import { requiredSession, sessionOf } from '../../moderation/auth-guards.js';
import type { Moderation } from '../../moderation/moderation.js';
import { clearSessionCookie, setSessionCookie } from '../../moderation/session-cookie.js';
import { csrfTokenFor } from '../../moderation/tokens.js';
import { HttpError } from '../errors.js';
import { jsonBody } from '../json-body.js';
import { parseRequestInput } from '../request-input.js';

/** Sign-in (`POST`), the current session (`GET`) and sign-out (`DELETE`) at /api/session. */
export function sessionRouter(moderation: Moderation): Router {
  const router = Router();
  const { guards, login } = moderation;

  router.get('/api/session', guards.identify, (_req, res) => {
    const session = sessionOf(res);
    const body: SessionInfo = session
      ? { user: { name: session.user.name, role: session.user.role }, csrfToken: csrfTokenFor(session.token) }
      : { user: null };
    res.set('Cache-Control', 'no-store');
    res.json(body);
  });

  router.post('/api/session', ...jsonBody(), guards.identify, async (req, res) => {
    const { name, password } = parseRequestInput(loginSchema, req.body, 'invalid_credentials_format');
    const result = await login.login(name, password, addressKey(req.ip));
    res.set('Cache-Control', 'no-store');
    if (!result.ok && result.reason === 'throttled') {
      const seconds = Math.ceil(result.retryAfterMs / 1000);
      res.set('Retry-After', String(seconds));
      throw new HttpError(429, 'too_many_attempts', `too many failed sign-ins: try again in ${seconds} s`);
    }
    if (!result.ok) throw new HttpError(401, 'invalid_credentials', 'wrong name or password');
    // A session the browser already held is closed rather than left open beside the new one.
    const previous = sessionOf(res);
    if (previous) {
      moderation.sessions.revoke(previous.id);
      moderation.channel.endSession(previous.id);
    }
    setSessionCookie(req, res, result.token, result.expiresAt, moderation.now());
    const body: SessionInfo = { user: result.user, csrfToken: csrfTokenFor(result.token) };
    res.json(body);
  });

  router.delete('/api/session', ...guards.requireModerator, (req, res) => {
    const session = requiredSession(res);
    login.logout(session);
    moderation.channel.endSession(session.id);
    clearSessionCookie(req, res);
    res.set('Cache-Control', 'no-store');
    res.status(204).end();
  });

  return router;
}
