import type { AnnotationOptions } from 'chartjs-plugin-annotation';
import type { SuggestionKind } from '../../../shared/suggestions.js';
import { intervalBox } from './interval-box.js';
import { kindText } from './suggestion-text.js';

export interface ShownSuggestion {
  id: number;
  from: number;
  to: number;
  kind: SuggestionKind;
}

/**
 * A suggestion awaiting a moderator's decision: a dotted amber outline over its interval
 * (flags are shaded red), its pattern named while the pointer is over it.
 */
export function suggestionAnnotations(
  suggestions: readonly ShownSuggestion[],
  colors: { suggestion: string; text: string },
): Record<string, AnnotationOptions> {
  const annotations: Record<string, AnnotationOptions> = {};
  for (const suggestion of suggestions) {
    annotations[`suggestion-${suggestion.id}`] = intervalBox({
      from: suggestion.from,
      to: suggestion.to,
      fill: `${colors.suggestion}1a`,
      border: colors.suggestion,
      borderWidth: 2,
      borderDash: [2, 3],
      label: kindText(suggestion.kind),
      labelAt: 'end',
      textColor: colors.text,
    });
  }
  return annotations;
}
