import { z } from 'zod';
import { instantSchema, wellFormed } from './schemas.js';

/** Why a moderator marked an interval; the words shown to the public are translated per code. */
export const FLAG_REASONS = [
  'too_regular',
  'night_surge',
  'catch_up_jump',
  'identical_gifts',
  'duplicate_names',
  'source_error',
  'other',
] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];

export const MAX_FLAG_NOTE_LENGTH = 2000;

/** What anyone may see of a published flag: never the note, the author or draft state. */
export interface PublicFlag {
  id: number;
  potId: string;
  /** Epoch ms, UTC. */
  from: number;
  to: number;
  reason: FlagReason;
  resolved: boolean;
}

/** A flag as moderators see it. */
export interface ModeratorFlag extends PublicFlag {
  note: string;
  published: boolean;
  createdBy: string;
  createdAt: number;
  updatedBy: string | null;
  updatedAt: number | null;
}

export function toPublicFlag(flag: PublicFlag): PublicFlag {
  return { id: flag.id, potId: flag.potId, from: flag.from, to: flag.to, reason: flag.reason, resolved: flag.resolved };
}

export function isModeratorFlag(flag: PublicFlag): flag is ModeratorFlag {
  return 'published' in flag;
}

const reasonSchema = z.enum(FLAG_REASONS, { error: `must be one of ${FLAG_REASONS.join(', ')}` });
const noteSchema = z
  .string({ error: 'must be a string' })
  .max(MAX_FLAG_NOTE_LENGTH, `must be at most ${MAX_FLAG_NOTE_LENGTH} characters`)
  .transform(wellFormed);
const booleanSchema = z.boolean({ error: 'must be true or false' });

export const createFlagSchema = z
  .object({
    from: instantSchema,
    to: instantSchema,
    reason: reasonSchema,
    note: noteSchema.optional(),
    published: booleanSchema,
  })
  .refine((flag) => flag.from <= flag.to, { message: 'must not be before from', path: ['to'] });

export const updateFlagSchema = z.object({
  from: instantSchema.optional(),
  to: instantSchema.optional(),
  reason: reasonSchema.optional(),
  note: noteSchema.optional(),
  published: booleanSchema.optional(),
  resolved: booleanSchema.optional(),
});

export type CreateFlagInput = z.output<typeof createFlagSchema>;
export type UpdateFlagInput = z.output<typeof updateFlagSchema>;
