import type { FlagReason } from './flags.js';
import type { Language } from './languages.js';

/** Patterns the server can point a moderator to. Each states what was seen; none is a verdict. */
export const SUGGESTION_KINDS = [
  'too-regular',
  'night-surge',
  'freeze-catch-up',
  'sudden-jump',
  'identical-small-gifts',
  'duplicate-names',
] as const;
export type SuggestionKind = (typeof SUGGESTION_KINDS)[number];

/** Each pattern's name, as moderators see it and alerts write it. */
export const SUGGESTION_KIND_NAMES: Record<Language, Record<SuggestionKind, string>> = {
  en: {
    'too-regular': 'Too regular',
    'night-surge': 'Night surge',
    'freeze-catch-up': 'Freeze, then catch-up (backlog)',
    'sudden-jump': 'Sudden jump',
    'identical-small-gifts': 'Identical small gifts',
    'duplicate-names': 'Repeated names or messages',
  },
  fr: {
    'too-regular': 'Trop régulier',
    'night-surge': 'Hausse nocturne',
    'freeze-catch-up': 'Gel puis rattrapage (file d’attente)',
    'sudden-jump': 'Saut soudain',
    'identical-small-gifts': 'Petits dons identiques',
    'duplicate-names': 'Noms ou messages répétés',
  },
};

export const SUGGESTION_STATUSES = ['pending', 'confirmed', 'dismissed'] as const;
export type SuggestionStatus = (typeof SUGGESTION_STATUSES)[number];

const potDaysFormats = new Map<string, Intl.NumberFormat[]>();

/**
 * "4,200", "2.3 million", "2,2 milliards": how many honest pot-days a score stands for, to
 * two significant digits, in words past a million (the language's own plurals).
 */
export function formatPotDays(days: number, locale: string): string {
  let formats = potDaysFormats.get(locale);
  if (!formats) {
    formats = [
      new Intl.NumberFormat(locale, { maximumSignificantDigits: 2 }),
      new Intl.NumberFormat(locale, { maximumSignificantDigits: 2, notation: 'compact', compactDisplay: 'long' }),
    ];
    potDaysFormats.set(locale, formats);
  }
  return formats[days >= 1e6 ? 1 : 0]!.format(days);
}

/** A repeated donor name or message and how often this pot's own past predicts it. */
export interface RepeatedText {
  field: 'name' | 'message';
  text: string;
  count: number;
  usual: number;
}

export type EvidenceValue = number | string | boolean | null | RepeatedText[];

/**
 * What was seen, in plain numbers. `summary` is a sentence for people (`summaryFr` the same
 * in French); the other fields are the same figures for tools (rates per hour, amounts in
 * minor units, ratios).
 */
export interface SuggestionEvidence {
  summary: string;
  summaryFr?: string;
  [figure: string]: EvidenceValue | undefined;
}

/** The evidence sentence in a language; suggestions stored before French evidence existed have English only. */
export function evidenceIn(evidence: SuggestionEvidence, lang: Language): string {
  return (lang === 'fr' && evidence.summaryFr) || evidence.summary;
}

/** A suspicious interval of a pot's history (epoch ms, UTC). */
export interface DetectedInterval {
  from: number;
  to: number;
  kind: SuggestionKind;
  /**
   * How rare the interval is on honest pots, the same scale for every kind: log10 of how
   * many honest pot-days show, on average, one interval at least this strong (3.5: about
   * 1 in 3,200). Learned on honest synthetic pots; past the strongest one seen there, the
   * figure is extrapolated (evidence `rarityExtrapolated`).
   */
  score: number;
  evidence: SuggestionEvidence;
}

/** A stored suggestion, as moderators see it in their queue. */
export interface Suggestion extends DetectedInterval {
  id: number;
  potId: string;
  status: SuggestionStatus;
  /** The flag created when a moderator confirmed it. */
  flagId: number | null;
  /** Who confirmed or dismissed it. */
  decidedBy: string | null;
}

/** The flag reason a confirmed suggestion gets unless the moderator picks another. */
export const FLAG_REASON_OF_KIND: Record<SuggestionKind, FlagReason> = {
  'too-regular': 'too_regular',
  'night-surge': 'night_surge',
  'freeze-catch-up': 'catch_up_jump',
  'sudden-jump': 'other',
  'identical-small-gifts': 'identical_gifts',
  'duplicate-names': 'duplicate_names',
};

/** `POST /api/suggestions/:sid/confirm`: every field optional. */
export interface ConfirmSuggestionInput {
  reason?: FlagReason;
  /** Defaults to the evidence summary. */
  note?: string;
  /** Defaults to false: the flag starts as a draft. */
  published?: boolean;
}
