import { Router } from 'express';
import { z } from 'zod';
import { confirmSuggestionSchema, dismissSuggestionSchema } from '../../../shared/schemas.js';
import type { SuggestionsRepository } from '../../db/suggestions-repository.js';
import { SuggestionDecisionError, type SuggestionReview } from '../../detect/suggestion-review.js';
import type { PotStates } from '../../live/pot-states.js';
import { requiredSession } from '../../moderation/auth-guards.js';
import type { Moderation } from '../../moderation/moderation.js';
import { HttpError } from '../errors.js';
import { jsonBody } from '../json-body.js';
import { parseRequestInput, trackedPotId, wholeNumberParam } from '../request-input.js';

const querySchema = z.object({
  status: z.enum(['pending', 'all'], { error: 'must be pending or all' }).optional(),
});

function decided<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof SuggestionDecisionError) {
      throw new HttpError(error.code === 'suggestion_not_found' ? 404 : 409, error.code, error.message, 'sid');
    }
    throw error;
  }
}

/**
 * The suggestion queue, for moderators only: `GET /api/pots/:id/suggestions` (pending ones,
 * or `?status=all`), then confirm (creates a flag) or dismiss (remembered).
 */
export function suggestionsRouter(
  moderation: Moderation,
  states: PotStates,
  suggestions: SuggestionsRepository,
  review: SuggestionReview,
): Router {
  const router = Router();
  const { requireModerator } = moderation.guards;

  router.get('/api/pots/:id/suggestions', ...requireModerator, (req, res) => {
    const potId = trackedPotId(req, states);
    const { status } = parseRequestInput(querySchema, req.query, 'invalid_query');
    res.set('Cache-Control', 'private, no-store');
    res.json({ suggestions: suggestions.ofPot(potId, status ?? 'pending') });
  });

  router.post('/api/suggestions/:sid/confirm', ...requireModerator, ...jsonBody(), (req, res) => {
    const id = wholeNumberParam(req, 'sid', 'invalid_suggestion_id');
    const input = parseRequestInput(confirmSuggestionSchema, req.body, 'invalid_decision');
    const result = decided(() => review.confirm(requiredSession(res).user, id, input));
    res.set('Cache-Control', 'no-store');
    res.status(201).json(result);
  });

  router.post('/api/suggestions/:sid/dismiss', ...requireModerator, ...jsonBody(), (req, res) => {
    const id = wholeNumberParam(req, 'sid', 'invalid_suggestion_id');
    const input = parseRequestInput(dismissSuggestionSchema, req.body, 'invalid_decision');
    const suggestion = decided(() => review.dismiss(requiredSession(res).user, id, input.note));
    res.set('Cache-Control', 'no-store');
    res.json({ suggestion });
  });

  return router;
}
