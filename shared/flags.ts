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
