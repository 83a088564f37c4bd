import { MAX_FLAG_NOTE_LENGTH } from '../../../shared/flags.js';
import { evidenceIn, formatPotDays, SUGGESTION_KIND_NAMES, type Suggestion, type SuggestionKind } from '../../../shared/suggestions.js';
import { i18n, locale, t } from './i18n.svelte.js';

/** The pattern's name in the viewer's language. */
export function kindText(kind: SuggestionKind): string {
  return SUGGESTION_KIND_NAMES[i18n.lang][kind];
}

/**
 * Past a trillion honest pot-days the figure is only the calibration's tail extended far
 * beyond the data: its order of magnitude says nothing more a moderator can use.
 */
const MAX_SHOWN_SCORE = 12;

/**
 * The score in words: a score is log10 of how many honest pot-days show, on average, one
 * interval like this ("about 1 in 3,200 honest pot-days", "about 1 in 4.5 million"), the
 * same scale for every kind.
 */
export function scoreText(score: number): string {
  const beyond = score > MAX_SHOWN_SCORE;
  const days = 10 ** Math.min(score, MAX_SHOWN_SCORE);
  const count = formatPotDays(days, locale());
  return t(beyond ? 'suggestionScoreBeyond' : 'suggestionScore', { count });
}

/** The evidence in the viewer's language (suggestions stored before French evidence existed have English only). */
export function evidenceText(suggestion: Suggestion): string {
  return evidenceIn(suggestion.evidence, i18n.lang);
}

/**
 * The note of a flag made from a suggestion: its evidence in the moderator's language. The
 * server's default is the English one, so nothing is sent for an English-speaking moderator.
 */
export function flagNoteOf(suggestion: Suggestion): string | undefined {
  const text = evidenceText(suggestion);
  return text === suggestion.evidence.summary ? undefined : text.slice(0, MAX_FLAG_NOTE_LENGTH);
}

/** The moderators' queue: the rarest first, then the oldest. */
export const queueOrder = (a: Suggestion, b: Suggestion): number => b.score - a.score || a.from - b.from;
