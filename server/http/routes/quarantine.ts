import { Router } from 'express';
import { z } from 'zod';
import { heldDecisionSchema } from '../../../shared/admin-schemas.js';
import { QUARANTINE_STATUSES, type QuarantineRepository } from '../../db/quarantine-repository.js';
import { HeldReadingRefused, type HeldReadingsService } from '../../ingest/held-readings.js';
import type { PotStates } from '../../live/pot-states.js';
import { requiredSession } from '../../moderation/auth-guards.js';
import type { Moderation } from '../../moderation/moderation.js';
import { HttpError } from '../errors.js';
import { jsonBody } from '../json-body.js';
import { pageQueryFields, parseRequestInput, trackedPotId, wholeNumberParam } from '../request-input.js';

const MAX_PAGE = 500;

const quarantineQuerySchema = z.object({
  status: z.enum(QUARANTINE_STATUSES, { error: `must be one of ${QUARANTINE_STATUSES.join(', ')}` }).optional(),
  ...pageQueryFields(MAX_PAGE),
});

/**
 * The readings the guard kept out of a pot's public series, with their reason and raw value,
 * newest first, for moderators: `?status=held|released|discarded&limit=&before=<id>`; and an
 * admin's decision on a held one, with the reason: `POST …/quarantine/:qid/release|discard`.
 */
export function quarantineRouter(
  moderation: Moderation,
  states: PotStates,
  quarantine: QuarantineRepository,
  held: HeldReadingsService,
): Router {
  const router = Router();
  router.get('/api/pots/:id/quarantine', ...moderation.guards.requireModerator, (req, res) => {
    const potId = trackedPotId(req, states);
    const query = parseRequestInput(quarantineQuerySchema, req.query, 'invalid_query');
    const limit = query.limit ?? 100;
    const readings = quarantine.list(potId, { status: query.status, beforeId: query.before, limit });
    res.set('Cache-Control', 'private, no-store');
    res.json({ readings, next: readings.length === limit ? readings[readings.length - 1]!.id : null });
  });
  for (const decision of ['release', 'discard'] as const) {
    router.post(`/api/pots/:id/quarantine/:qid/${decision}`, ...moderation.guards.requireAdmin, ...jsonBody(), (req, res) => {
      const potId = trackedPotId(req, states);
      const readingId = wholeNumberParam(req, 'qid', 'invalid_reading_id');
      const { reason } = parseRequestInput(heldDecisionSchema, req.body, 'invalid_decision');
      try {
        const reading = held.decide(requiredSession(res).user, potId, readingId, decision, reason);
        res.set('Cache-Control', 'no-store');
        res.json({ reading: quarantine.byId(reading.id) });
      } catch (error) {
        if (error instanceof HeldReadingRefused) throw new HttpError(error.status, error.code, error.message, error.field);
        throw error;
      }
    });
  }
  return router;
}
