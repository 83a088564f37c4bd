import { Router } from 'express';
import { z } from 'zod';
import { instantSchema, potIdSchema } from '../../../shared/schemas.js';
import { toIso } from '../../../shared/time.js';
import type { AuditFilter } from '../../db/audit-log.js';
import type { Moderation } from '../../moderation/moderation.js';
import { csvField } from '../csv-field.js';
import { rateLimitPerAddress } from '../rate-limit.js';
import { pageQueryFields, parseRequestInput } from '../request-input.js';
import { waitForDrain } from '../wait-for-drain.js';

const MAX_PAGE = 500;
const EXPORT_PAGE = 1000;

const filterFields = {
  potId: potIdSchema.optional(),
  actor: z.string().min(1, 'must not be empty').max(64, 'is too long').optional(),
  action: z.string().regex(/^[a-z_]+(\.[a-z_]+)*$/, 'must be an action such as user.role, or a family such as user').max(64, 'is too long').optional(),
  from: instantSchema.optional(),
  to: instantSchema.optional(),
};

const auditQuerySchema = z.object({ ...pageQueryFields(MAX_PAGE), ...filterFields });
const exportQuerySchema = z.object(filterFields);

/**
 * The audit trail, newest first, for admins: `?limit=&before=<id>` and filters by pot, actor,
 * action (or family) and time; `/api/audit.csv` exports every entry matching the filters.
 */
export function auditRouter(moderation: Moderation): Router {
  const router = Router();
  const admin = moderation.guards.requireAdmin;

  router.get('/api/audit', ...admin, (req, res) => {
    const query = parseRequestInput(auditQuerySchema, req.query, 'invalid_query');
    const limit = query.limit ?? 100;
    const entries = moderation.audit.page({ ...query, limit });
    res.set('Cache-Control', 'private, no-store');
    res.json({ entries, next: entries.length === limit ? entries[entries.length - 1]!.id : null });
  });

  const exportLimit = rateLimitPerAddress({ perMinute: 6, burst: 3, what: 'audit exports' }, moderation.now);

  router.get('/api/audit.csv', ...admin, exportLimit, async (req, res) => {
    const filter: AuditFilter = parseRequestInput(exportQuerySchema, req.query, 'invalid_query');
    res.set({
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="potwatch-audit.csv"',
      'Cache-Control': 'private, no-store',
    });
    res.write('id,at,actor,action,potId,target,before,after\n');
    let before: number | undefined;
    for (;;) {
      const entries = moderation.audit.page({ ...filter, before, limit: EXPORT_PAGE });
      if (entries.length === 0) break;
      const lines = entries.map((entry) =>
        [String(entry.id), toIso(entry.at), entry.actor, entry.action, entry.potId ?? '', entry.target ?? '', json(entry.before), json(entry.after)]
          .map(csvField)
          .join(','),
      );
      before = entries[entries.length - 1]!.id;
      if (!res.write(`${lines.join('\n')}\n`)) await waitForDrain(res);
      if (res.destroyed) return;
    }
    res.end();
  });

  return router;
}

const json = (value: unknown) => (value === null || value === undefined ? '' : JSON.stringify(value));
