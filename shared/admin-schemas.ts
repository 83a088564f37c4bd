import { z } from 'zod';
import { wellFormed } from './schemas.js';

/** Why a held reading is released or discarded by hand: kept in the audit trail. */
export const heldDecisionSchema = z.object({
  reason: z
    .string({ error: 'must be a string' })
    .trim()
    .min(1, 'must say why')
    .max(500, 'is too long (at most 500 characters)')
    .transform(wellFormed),
});
