import { Router } from 'express';
import { newUserSchema, passwordResetSchema, userChangeSchema } from '../../../shared/account-schemas.js';
import { requiredSession } from '../../moderation/auth-guards.js';
import type { Moderation } from '../../moderation/moderation.js';
import { jsonBody } from '../json-body.js';
import { parseRequestInput } from '../request-input.js';
import { accountRefusals } from './account.js';

/** Accounts, for admins: add, change role, disable, reset password or second factor, end sessions. */
export function usersRouter(moderation: Moderation): Router {
  const router = Router();
  const { accounts, guards } = moderation;
  const admin = guards.requireAdmin;
  const name = (params: Record<string, unknown>) => String(params.name);
  router.use('/api/users', (_req, res, next) => {
    res.set('Cache-Control', 'private, no-store');
    next();
  });

  router.get('/api/users', ...admin, async (_req, res) => {
    res.json({ users: await accountRefusals(() => accounts.listUsers(requiredSession(res).user)) });
  });

  router.post('/api/users', ...admin, ...jsonBody(), async (req, res) => {
    const input = parseRequestInput(newUserSchema, req.body, 'invalid_user');
    await accountRefusals(() => accounts.addUser(requiredSession(res).user, input));
    res.status(201).json({ user: { name: input.name, role: input.role } });
  });

  router.patch('/api/users/:name', ...admin, ...jsonBody(), async (req, res) => {
    const change = parseRequestInput(userChangeSchema, req.body, 'invalid_user');
    await accountRefusals(() => accounts.changeUser(requiredSession(res).user, name(req.params), change));
    res.json({ users: accounts.listUsers(requiredSession(res).user) });
  });

  router.post('/api/users/:name/password', ...admin, ...jsonBody(), async (req, res) => {
    const { password } = parseRequestInput(passwordResetSchema, req.body, 'invalid_password');
    await accountRefusals(() => accounts.resetPassword(requiredSession(res).user, name(req.params), password));
    res.status(204).end();
  });

  router.delete('/api/users/:name/second-factors', ...admin, async (req, res) => {
    await accountRefusals(() => accounts.resetSecondFactor(requiredSession(res).user, name(req.params)));
    res.status(204).end();
  });

  router.get('/api/users/:name/sessions', ...admin, async (req, res) => {
    res.json({ sessions: await accountRefusals(() => accounts.sessionsOfUser(requiredSession(res).user, name(req.params))) });
  });

  router.delete('/api/users/:name/sessions', ...admin, async (req, res) => {
    res.json({ ended: await accountRefusals(() => accounts.endSessionsOfUser(requiredSession(res).user, name(req.params))) });
  });

  return router;
}
