import { Router } from 'express';
import { rotateSecretSchema } from '../../../shared/webhook-secrets.js';
import { requiredSession } from '../../moderation/auth-guards.js';
import type { Moderation } from '../../moderation/moderation.js';
import { PotRequestRefused } from '../../pots/pot-service.js';
import type { SecretRotationService } from '../../pots/secret-rotation.js';
import { HttpError } from '../errors.js';
import { jsonBody } from '../json-body.js';
import { parseRequestInput } from '../request-input.js';

function refusals<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof PotRequestRefused) throw new HttpError(error.status, error.code, error.message, error.field);
    throw error;
  }
}

/** Webhook secrets, for admins: which pots have one, rotate it with an overlap, retire the previous one. */
export function secretsRouter(moderation: Moderation, secrets: SecretRotationService): Router {
  const router = Router();
  const admin = moderation.guards.requireAdmin;

  router.get('/api/admin/secrets', ...admin, (_req, res) => {
    res.set('Cache-Control', 'private, no-store');
    res.json({ secrets: refusals(() => secrets.list(requiredSession(res).user)) });
  });

  router.post('/api/pots/:id/secret', ...admin, ...jsonBody(), (req, res) => {
    const { overlapHours } = parseRequestInput(rotateSecretSchema, req.body, 'invalid_rotation');
    const rotation = refusals(() => secrets.rotate(requiredSession(res).user, String(req.params.id), overlapHours));
    res.set('Cache-Control', 'no-store');
    res.status(201).json(rotation);
  });

  router.delete('/api/pots/:id/secret/previous', ...admin, (req, res) => {
    refusals(() => secrets.retirePrevious(requiredSession(res).user, String(req.params.id)));
    res.status(204).end();
  });

  return router;
}
