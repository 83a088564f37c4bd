import { Router } from 'express';
import { z } from 'zod';
import { potIdSchema } from '../../../shared/schemas.js';
import type { Moderation } from '../../moderation/moderation.js';
import { pageQueryFields, parseRequestInput } from '../request-input.js';

const MAX_PAGE = 500;

const auditQuerySchema = z.object({
  ...pageQueryFields(MAX_PAGE),
  potId: potIdSchema.optional(),
});

/** The audit trail, newest first, for admins: `?limit=&before=<id>&potId=`. */
export function auditRouter(moderation: Moderation): Router {
  const router = Router();
  router.get('/api/audit', ...moderation.guards.requireAdmin, (req, res) => {
    const query = parseRequestInput(auditQuerySchema, req.query, 'invalid_query');
    const limit = query.limit ?? 100;
    const entries = moderation.audit.page({ ...query, limit });
    res.set('Cache-Control', 'private, no-store');
    res.json({ entries, next: entries.length === limit ? entries[entries.length - 1]!.id : null });
  });
  return router;
}
