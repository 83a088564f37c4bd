import { Router } from 'express';
import { z } from 'zod';
import { QUARANTINE_STATUSES, type QuarantineRepository } from '../../db/quarantine-repository.js';
import type { PotStates } from '../../live/pot-states.js';
import type { Moderation } from '../../moderation/moderation.js';
import { pageQueryFields, parseRequestInput, trackedPotId } from '../request-input.js';

const MAX_PAGE = 500;

const quarantineQuerySchema = z.object({
  status: z.enum(QUARANTINE_STATUSES, { error: `must be one of ${QUARANTINE_STATUSES.join(', ')}` }).optional(),
  ...pageQueryFields(MAX_PAGE),
});

/**
 * The readings the guard kept out of a pot's public series, with their reason and raw value,
 * newest first, for moderators: `?status=held|released|discarded&limit=&before=<id>`.
 */
export function quarantineRouter(moderation: Moderation, states: PotStates, quarantine: QuarantineRepository): Router {
  const router = Router();
  router.get('/api/pots/:id/quarantine', ...moderation.guards.requireModerator, (req, res) => {
    const potId = trackedPotId(req, states);
    const query = parseRequestInput(quarantineQuerySchema, req.query, 'invalid_query');
    const limit = query.limit ?? 100;
    const readings = quarantine.list(potId, { status: query.status, beforeId: query.before, limit });
    res.set('Cache-Control', 'private, no-store');
    res.json({ readings, next: readings.length === limit ? readings[readings.length - 1]!.id : null });
  });
  return router;
}
