import { Router } from 'express';
import { sendError } from '../errors.js';

/**
 * A fan-out process holds no database: the API and webhooks belong to the ingest process,
 * where the reverse proxy sends them. Anything that reaches a fan-out process by mistake is
 * refused, and nothing is stored.
 */
export function fanoutApiRouter(): Router {
  const router = Router();
  router.use('/api', (_req, res) =>
    sendError(res, 421, 'not_served_here', 'this Potwatch process only relays live updates; the API is served by the ingest process'),
  );
  return router;
}
