import { Router } from 'express';
import { createAnnotationSchema, updateAnnotationSchema } from '../../../shared/annotation-schemas.js';
import { AnnotationRefused, type AnnotationService } from '../../annotations/annotation-service.js';
import type { PotStates } from '../../live/pot-states.js';
import { requiredSession } from '../../moderation/auth-guards.js';
import type { Moderation } from '../../moderation/moderation.js';
import { HttpError } from '../errors.js';
import { jsonBody } from '../json-body.js';
import { parseRequestInput, trackedPotId, wholeNumberParam } from '../request-input.js';

function refusals<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof AnnotationRefused) throw new HttpError(error.status, error.code, error.message, error.field);
    throw error;
  }
}

/** Context on a pot's chart: anyone reads it; moderators and admins write it. */
export function annotationsRouter(moderation: Moderation, states: PotStates, annotations: AnnotationService): Router {
  const router = Router();
  const { guards } = moderation;

  router.get('/api/pots/:id/annotations', (req, res) => {
    const potId = trackedPotId(req, states);
    res.set('Cache-Control', 'public, max-age=2');
    res.json({ annotations: annotations.ofPot(potId) });
  });

  router.post('/api/pots/:id/annotations', ...guards.requireModerator, ...jsonBody(), (req, res) => {
    const potId = trackedPotId(req, states);
    const input = parseRequestInput(createAnnotationSchema, req.body, 'invalid_annotation');
    const annotation = refusals(() => annotations.create(requiredSession(res).user, potId, input));
    res.set('Cache-Control', 'no-store');
    res.status(201).json({ annotation });
  });

  router.patch('/api/annotations/:aid', ...guards.requireModerator, ...jsonBody(), (req, res) => {
    const id = wholeNumberParam(req, 'aid', 'invalid_annotation_id');
    const patch = parseRequestInput(updateAnnotationSchema, req.body, 'invalid_annotation');
    const annotation = refusals(() => annotations.update(requiredSession(res).user, id, patch));
    res.set('Cache-Control', 'no-store');
    res.json({ annotation });
  });

  router.delete('/api/annotations/:aid', ...guards.requireModerator, (req, res) => {
    const id = wholeNumberParam(req, 'aid', 'invalid_annotation_id');
    refusals(() => annotations.remove(requiredSession(res).user, id));
    res.status(204).end();
  });

  return router;
}
