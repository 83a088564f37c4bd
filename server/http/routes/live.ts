import { Router } from 'express';
import type { LiveSnapshots } from '../../live/live-snapshots.js';
import type { PotStates } from '../../live/pot-states.js';
import { sendCachedAnswer, type AnswerCache } from '../cached-answer.js';
import { trackedPotId } from '../request-input.js';

/**
 * A second of freshness, then caches may serve the old snapshot while they fetch the new one:
 * behind a proxy, a crowd of polling readers costs about one request per second per pot.
 */
export const LIVE_CACHE_CONTROL = 'public, max-age=1, stale-while-revalidate=5';

/** `GET /api/pots/:id/live`: the snapshot polling readers ask for, from memory. */
export function liveRouter(states: PotStates, snapshots: LiveSnapshots, answers: AnswerCache): Router {
  const router = Router();
  router.get('/api/pots/:id/live', (req, res) => {
    const potId = trackedPotId(req, states);
    const snapshot = snapshots.get(potId);
    sendCachedAnswer(req, res, answers, {
      etag: snapshot.etag,
      cacheKey: `live:${potId}:${snapshot.etag}`,
      cacheControl: LIVE_CACHE_CONTROL,
      contentType: 'application/json; charset=utf-8',
      body: () => snapshot.json,
    });
  });
  return router;
}
