import type { Language } from './languages.js';

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

/** Each reason's name, as the public sees it on charts and alerts write it. */
export const FLAG_REASON_NAMES: Record<Language, Record<FlagReason, string>> = {
  en: {
    too_regular: 'Too regular',
    night_surge: 'Night surge',
    catch_up_jump: 'Catch-up jump',
    identical_gifts: 'Identical gifts',
    duplicate_names: 'Duplicate names or messages',
    source_error: 'Source error',
    other: 'Other',
  },
  fr: {
    too_regular: 'Trop régulier',
    night_surge: 'Hausse nocturne',
    catch_up_jump: 'Saut de rattrapage',
    identical_gifts: 'Dons identiques',
    duplicate_names: 'Noms ou messages en double',
    source_error: 'Erreur de la source',
    other: 'Autre',
  },
};

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
