import { Router } from 'express';
import { passkeyRegistrationSchema, passwordChangeSchema, totpConfirmSchema } from '../../../shared/account-schemas.js';
import { AccountError } from '../../moderation/account-admin.js';
import { requiredSession } from '../../moderation/auth-guards.js';
import type { Moderation } from '../../moderation/moderation.js';
import { HttpError } from '../errors.js';
import { jsonBody } from '../json-body.js';
import { relyingParty } from '../relying-party.js';
import { parseRequestInput } from '../request-input.js';

/** Runs an account change; its refusals become HTTP errors naming the field. */
export async function accountRefusals<T>(action: () => T | Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof AccountError) throw new HttpError(error.status, error.code, error.message, error.field);
    throw error;
  }
}

/**
 * One's own account: second factors (authenticator app, recovery codes, passkeys), password
 * and sessions. Open to a session that must still enrol a second factor, so that it can.
 */
export function accountRouter(moderation: Moderation): Router {
  const router = Router();
  const { accounts, guards } = moderation;
  const signedIn = guards.requireSignedIn;
  router.use(['/api/account', '/api/sessions'], (_req, res, next) => {
    res.set('Cache-Control', 'private, no-store');
    next();
  });

  router.get('/api/account', ...signedIn, async (_req, res) => {
    res.json(await accountRefusals(() => accounts.security(requiredSession(res))));
  });

  router.post('/api/account/totp', ...signedIn, async (_req, res) => {
    res.status(201).json(await accountRefusals(() => accounts.beginTotp(requiredSession(res))));
  });

  router.post('/api/account/totp/confirm', ...signedIn, ...jsonBody(), async (req, res) => {
    const { code } = parseRequestInput(totpConfirmSchema, req.body, 'invalid_code');
    res.json(await accountRefusals(() => accounts.confirmTotp(requiredSession(res), code)));
  });

  router.delete('/api/account/totp', ...guards.requireModerator, async (_req, res) => {
    await accountRefusals(() => accounts.removeTotp(requiredSession(res)));
    res.status(204).end();
  });

  router.post('/api/account/recovery-codes', ...guards.requireModerator, async (_req, res) => {
    res.status(201).json({ recoveryCodes: await accountRefusals(() => accounts.renewRecoveryCodes(requiredSession(res))) });
  });

  router.post('/api/account/passkeys/options', ...signedIn, async (req, res) => {
    res.json(await accountRefusals(() => accounts.passkeyOptions(requiredSession(res), relyingParty(req))));
  });

  router.post('/api/account/passkeys', ...signedIn, ...jsonBody(), async (req, res) => {
    const { response, label } = parseRequestInput(passkeyRegistrationSchema, req.body, 'invalid_passkey_response');
    await accountRefusals(() => accounts.addPasskey(requiredSession(res), response, label, relyingParty(req)));
    res.status(201).json(await accountRefusals(() => accounts.security(requiredSession(res))));
  });

  router.delete('/api/account/passkeys/:pid', ...guards.requireModerator, async (req, res) => {
    await accountRefusals(() => accounts.removePasskey(requiredSession(res), String(req.params.pid)));
    res.status(204).end();
  });

  router.post('/api/account/password', ...guards.requireModerator, ...jsonBody(), async (req, res) => {
    const { currentPassword, newPassword } = parseRequestInput(passwordChangeSchema, req.body, 'invalid_password');
    await accountRefusals(() => accounts.changePassword(requiredSession(res), currentPassword, newPassword));
    res.status(204).end();
  });

  router.get('/api/sessions', ...signedIn, (_req, res) => {
    res.json({ sessions: accounts.sessionsOf(requiredSession(res)) });
  });

  router.delete('/api/sessions/:sid', ...signedIn, async (req, res) => {
    await accountRefusals(() => accounts.endSession(requiredSession(res), String(req.params.sid)));
    res.status(204).end();
  });

  router.delete('/api/sessions', ...signedIn, (_req, res) => {
    res.json({ ended: accounts.endOtherSessions(requiredSession(res)) });
  });

  return router;
}
