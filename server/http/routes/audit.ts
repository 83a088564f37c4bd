import { Router } from 'express';
import { z } from 'zod';
import { potIdSchema } from '../../../shared/schemas.js';
import type { Moderation } from '../../moderation/moderation.js';
import { parseRequestInput } from '../request-input.js';

const MAX_PAGE = 500;

const auditQuerySchema = z.object({
  limit: z
    .string()
    .regex(/^\d{1,4}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(1, 'must be at least 1').max(MAX_PAGE, `must be at most ${MAX_PAGE}`))
    .optional(),
  before: z.string().regex(/^\d{1,15}$/, 'must be an entry id').transform(Number).optional(),
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
