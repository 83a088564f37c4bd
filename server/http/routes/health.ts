import { Router } from 'express';
import { databaseAnswers, type Database } from '../../db/database.js';
import { sendError } from '../errors.js';

export function healthRouter(db: Database): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    if (!databaseAnswers(db)) {
      sendError(res, 503, 'database_unavailable', 'the database does not answer');
      return;
    }
    res.set('Cache-Control', 'no-store');
    res.json({ status: 'ok' });
  });
  return router;
}
