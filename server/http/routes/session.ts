import { Router, type Request, type Response } from 'express';
import { loginSchema, passkeySignInSchema } from '../../../shared/account-schemas.js';
import type { SessionInfo } from '../../../shared/accounts.js';
import { addressKey } from '../../moderation/address-key.js';
import { anySessionOf, requiredSession } from '../../moderation/auth-guards.js';
import type { LoginResult } from '../../moderation/login-service.js';
import type { Moderation } from '../../moderation/moderation.js';
import { clearSessionCookie, setSessionCookie } from '../../moderation/session-cookie.js';
import { csrfTokenFor } from '../../moderation/tokens.js';
import { HttpError } from '../errors.js';
import { jsonBody } from '../json-body.js';
import { rateLimitPerAddress } from '../rate-limit.js';
import { relyingParty } from '../relying-party.js';
import { parseRequestInput } from '../request-input.js';

const REFUSALS = {
  invalid_credentials: [401, 'wrong name or password', undefined],
  otp_required: [401, 'enter the code of your authenticator app or a recovery code, or sign in with your passkey', 'otp'],
  invalid_otp: [401, 'this code is wrong or was used already', 'otp'],
  account_disabled: [403, 'this account is disabled: ask an admin', undefined],
} as const;

/** Sign-in (`POST`, with a password or a passkey), the current session (`GET`) and sign-out (`DELETE`) at /api/session. */
export function sessionRouter(moderation: Moderation): Router {
  const router = Router();
  const { guards, login } = moderation;

  /** Answers a sign-in: a new session in a new cookie, the browser's previous session closed (no fixation). */
  const answer = (req: Request, res: Response, result: LoginResult) => {
    res.set('Cache-Control', 'no-store');
    if (!result.ok && result.reason === 'throttled') {
      const seconds = Math.ceil(result.retryAfterMs / 1000);
      res.set('Retry-After', String(seconds));
      throw new HttpError(429, 'too_many_attempts', `too many sign-in attempts: try again in ${seconds} s`);
    }
    if (!result.ok) {
      const [status, message, field] = REFUSALS[result.reason];
      throw new HttpError(status, result.reason, message, field);
    }
    const previous = anySessionOf(res);
    if (previous) {
      moderation.sessions.revoke(previous.id);
      moderation.channel.endSession(previous.id);
    }
    setSessionCookie(req, res, result.token, result.expiresAt, moderation.now());
    const body: SessionInfo = {
      user: result.user,
      csrfToken: csrfTokenFor(result.token),
      ...(result.enrolmentOnly ? { enrolmentOnly: true as const } : {}),
    };
    res.json(body);
  };

  router.get('/api/session', guards.identify, (_req, res) => {
    const session = anySessionOf(res);
    const body: SessionInfo = session
      ? {
          user: { name: session.user.name, role: session.user.role },
          csrfToken: csrfTokenFor(session.token),
          ...(session.enrolmentOnly ? { enrolmentOnly: true as const } : {}),
        }
      : { user: null };
    res.set('Cache-Control', 'no-store');
    res.json(body);
  });

  router.post('/api/session', ...jsonBody(), guards.identify, async (req, res) => {
    const input = parseRequestInput(loginSchema, req.body, 'invalid_credentials_format');
    const result = await login.login({ ...input, address: addressKey(req.ip), userAgent: req.get('user-agent') });
    answer(req, res, result);
  });

  // Each call stores a challenge: a few per minute per address.
  const challengeLimit = rateLimitPerAddress({ perMinute: 20, burst: 10, what: 'passkey sign-in requests' }, moderation.now);

  router.post('/api/session/passkey/options', challengeLimit, async (req, res) => {
    res.set('Cache-Control', 'no-store');
    res.json(await moderation.secondFactors.passkeySignInOptions(relyingParty(req)));
  });

  router.post('/api/session/passkey', ...jsonBody(), guards.identify, async (req, res) => {
    const { response } = parseRequestInput(passkeySignInSchema, req.body, 'invalid_passkey_response');
    const result = await login.loginWithPasskey(response, relyingParty(req), addressKey(req.ip), req.get('user-agent'));
    answer(req, res, result);
  });

  router.delete('/api/session', ...guards.requireSignedIn, (req, res) => {
    const session = requiredSession(res);
    login.logout(session);
    moderation.channel.endSession(session.id);
    clearSessionCookie(req, res);
    res.set('Cache-Control', 'no-store');
    res.status(204).end();
  });

  return router;
}
