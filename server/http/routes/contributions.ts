import { Router } from 'express';
import { z } from 'zod';
import { instantSchema, wholeNumberQuery } from '../../../shared/schemas.js';
import type { ContributionsAnswer } from '../../../shared/types.js';
import type { ContributionsRepository } from '../../db/contributions-repository.js';
import type { PotStates } from '../../live/pot-states.js';
import type { Moderation } from '../../moderation/moderation.js';
import { parseRequestInput, trackedPotId } from '../request-input.js';

const MAX_CONTRIBUTIONS = 1000;

const contributionsQuerySchema = z.object({
  from: instantSchema.optional(),
  to: instantSchema.optional(),
  limit: wholeNumberQuery(1, MAX_CONTRIBUTIONS).optional(),
});

/** The contributions stored for a pot (names and messages are evidence, for moderators only), newest first. */
export function contributionsRouter(moderation: Moderation, states: PotStates, contributions: ContributionsRepository): Router {
  const router = Router();
  router.get('/api/pots/:id/contributions', ...moderation.guards.requireModerator, (req, res) => {
    const potId = trackedPotId(req, states);
    const query = parseRequestInput(contributionsQuerySchema, req.query, 'invalid_query');
    const found = contributions.newest(potId, query.from ?? 0, query.to ?? Number.MAX_SAFE_INTEGER, query.limit ?? 100);
    const body: ContributionsAnswer = {
      contributions: found.map(({ id: _id, ...contribution }) => contribution),
    };
    res.set('Cache-Control', 'private, no-store');
    res.json(body);
  });
  return router;
}
