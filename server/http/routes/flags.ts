import { Router } from 'express';
import { toPublicFlag, type PublicFlag } from '../../../shared/flags.js';
import { createFlagSchema, updateFlagSchema } from '../../../shared/schemas.js';
import type { PotStates } from '../../live/pot-states.js';
import { requiredSession, sessionOf } from '../../moderation/auth-guards.js';
import { FlagInputError } from '../../moderation/flag-service.js';
import type { Moderation } from '../../moderation/moderation.js';
import { HttpError } from '../errors.js';
import { jsonBody } from '../json-body.js';
import { parseRequestInput, trackedPotId, wholeNumberParam } from '../request-input.js';

function withFlagInputErrors<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof FlagInputError) throw new HttpError(400, 'invalid_flag', error.message, error.field);
    throw error;
  }
}

/**
 * Flags on a pot's history. Anyone reads the published ones (public fields only);
 * moderators read all and change them, with the session cookie and the CSRF header.
 */
export function flagsRouter(moderation: Moderation, states: PotStates): Router {
  const router = Router();
  const { guards, flags } = moderation;

  router.get('/api/pots/:id/flags', guards.identify, (req, res) => {
    const potId = trackedPotId(req, states);
    if (sessionOf(res)) {
      res.set('Cache-Control', 'private, no-store');
      res.json({ flags: flags.allOfPot(potId) });
      return;
    }
    const visible: PublicFlag[] = flags.publishedOfPot(potId).map(toPublicFlag);
    res.set({ 'Cache-Control': 'public, max-age=2', Vary: 'Cookie' });
    res.json({ flags: visible });
  });

  router.post('/api/pots/:id/flags', ...guards.requireModerator, ...jsonBody(), (req, res) => {
    const potId = trackedPotId(req, states);
    const input = parseRequestInput(createFlagSchema, req.body, 'invalid_flag');
    const flag = withFlagInputErrors(() => flags.create(requiredSession(res).user, potId, input));
    res.set('Cache-Control', 'no-store');
    res.status(201).json({ flag });
  });

  router.patch('/api/flags/:fid', ...guards.requireModerator, ...jsonBody(), (req, res) => {
    const id = wholeNumberParam(req, 'fid', 'invalid_flag_id');
    const patch = parseRequestInput(updateFlagSchema, req.body, 'invalid_flag');
    const flag = withFlagInputErrors(() => flags.update(requiredSession(res).user, id, patch));
    if (!flag) throw new HttpError(404, 'flag_not_found', `there is no flag ${id}`, 'fid');
    res.set('Cache-Control', 'no-store');
    res.json({ flag });
  });

  router.delete('/api/flags/:fid', ...guards.requireModerator, (req, res) => {
    const id = wholeNumberParam(req, 'fid', 'invalid_flag_id');
    if (!flags.remove(requiredSession(res).user, id)) throw new HttpError(404, 'flag_not_found', `there is no flag ${id}`, 'fid');
    res.status(204).end();
  });

  return router;
}
