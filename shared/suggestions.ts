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

export const SUGGESTION_STATUSES = ['pending', 'confirmed', 'dismissed'] as const;
export type SuggestionStatus = (typeof SUGGESTION_STATUSES)[number];

/** A repeated donor name or message and how often this pot's own past predicts it. */
export interface RepeatedText {
  field: 'name' | 'message';
  text: string;
  count: number;
  usual: number;
}

export type EvidenceValue = number | string | null | RepeatedText[];

/**
 * What was seen, in plain numbers. `summary` is a sentence for people; the other fields
 * are the same figures for tools (rates per hour, amounts in minor units, ratios).
 */
export interface SuggestionEvidence {
  summary: string;
  [figure: string]: EvidenceValue;
}

/** A suspicious interval of a pot's history (epoch ms, UTC). */
export interface DetectedInterval {
  from: number;
  to: number;
  kind: SuggestionKind;
  /**
   * How surprising the interval is for honest activity, in orders of magnitude: 6 means
   * the pot's own usual activity would look like this less than once in a million tries.
   */
  score: number;
  evidence: SuggestionEvidence;
}

export interface Suggestion extends DetectedInterval {
  id: number;
  potId: string;
  status: SuggestionStatus;
}
