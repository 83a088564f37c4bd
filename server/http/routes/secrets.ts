import { Router } from 'express';
import { rotateSecretSchema } from '../../../shared/webhook-secrets.js';
import { requiredSession } from '../../moderation/auth-guards.js';
import type { Moderation } from '../../moderation/moderation.js';
import type { SecretRotationService } from '../../pots/secret-rotation.js';
import { jsonBody } from '../json-body.js';
import { parseRequestInput } from '../request-input.js';
import { refusals } from './pot-admin.js';

/** Webhook secrets, for admins: which pots have one, rotate it with an overlap, retire the previous one. */
export function secretsRouter(moderation: Moderation, secrets: SecretRotationService): Router {
  const router = Router();
  const admin = moderation.guards.requireAdmin;

  router.get('/api/admin/secrets', ...admin, async (_req, res) => {
    res.set('Cache-Control', 'private, no-store');
    res.json({ secrets: await refusals(() => secrets.list(requiredSession(res).user)) });
  });

  router.post('/api/pots/:id/secret', ...admin, ...jsonBody(), async (req, res) => {
    const { overlapHours } = parseRequestInput(rotateSecretSchema, req.body, 'invalid_rotation');
    const rotation = await refusals(() => secrets.rotate(requiredSession(res).user, String(req.params.id), overlapHours));
    res.set('Cache-Control', 'no-store');
    res.status(201).json(rotation);
  });

  router.delete('/api/pots/:id/secret/previous', ...admin, async (req, res) => {
    await refusals(() => secrets.retirePrevious(requiredSession(res).user, String(req.params.id)));
    res.status(204).end();
  });

  return router;
}
