import { Router } from 'express';
import { createAlertSchema, type AlertCreated } from '../../../shared/alerts.js';
import { AlertRequestRefused, type AlertService } from '../../alerts/alert-service.js';
import { requiredSession } from '../../moderation/auth-guards.js';
import type { Moderation } from '../../moderation/moderation.js';
import { HttpError } from '../errors.js';
import { jsonBody } from '../json-body.js';
import { parseRequestInput, wholeNumberParam } from '../request-input.js';

async function refusals<T>(action: () => T | Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof AlertRequestRefused) throw new HttpError(error.status, error.code, error.message, error.field);
    throw error;
  }
}

/** Alerts for admins: list, create, delete, send a test, read the deliveries and retry the given-up ones. */
export function alertsRouter(moderation: Moderation, alerts: AlertService): Router {
  const router = Router();
  const { guards } = moderation;
  const alertId = (req: Parameters<typeof wholeNumberParam>[0]) => wholeNumberParam(req, 'aid', 'invalid_alert_id');

  router.get('/api/alerts', ...guards.requireAdmin, async (_req, res) => {
    const list = await refusals(() => alerts.list(requiredSession(res).user));
    res.set('Cache-Control', 'private, no-store');
    res.json({ alerts: list });
  });

  router.post('/api/alerts', ...guards.requireAdmin, ...jsonBody(), async (req, res) => {
    const input = parseRequestInput(createAlertSchema, req.body, 'invalid_alert');
    const answer: AlertCreated = await refusals(() => alerts.create(requiredSession(res).user, input));
    res.set('Cache-Control', 'no-store');
    res.status(201).json(answer);
  });

  router.delete('/api/alerts/:aid', ...guards.requireAdmin, async (req, res) => {
    const id = alertId(req);
    await refusals(() => alerts.remove(requiredSession(res).user, id));
    res.json({ deleted: id });
  });

  router.post('/api/alerts/:aid/test', ...guards.requireAdmin, async (req, res) => {
    const id = alertId(req);
    const delivery = await refusals(() => alerts.test(requiredSession(res).user, id));
    res.status(202).json({ delivery });
  });

  router.get('/api/alerts/:aid/deliveries', ...guards.requireAdmin, async (req, res) => {
    const id = alertId(req);
    const deliveries = await refusals(() => alerts.deliveries(requiredSession(res).user, id));
    res.set('Cache-Control', 'private, no-store');
    res.json({ deliveries });
  });

  router.post('/api/alerts/:aid/retry', ...guards.requireAdmin, async (req, res) => {
    const id = alertId(req);
    const retried = await refusals(() => alerts.retry(requiredSession(res).user, id));
    res.status(202).json({ retried });
  });

  return router;
}
