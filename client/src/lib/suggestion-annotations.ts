import type { AnnotationOptions } from 'chartjs-plugin-annotation';
import type { SuggestionKind } from '../../../shared/suggestions.js';
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
    annotations[`suggestion-${suggestion.id}`] = {
      type: 'box',
      xScaleID: 'x',
      xMin: suggestion.from,
      xMax: suggestion.to,
      backgroundColor: `${colors.suggestion}1a`,
      borderColor: colors.suggestion,
      borderWidth: 2,
      borderDash: [2, 3],
      drawTime: 'beforeDatasetsDraw',
      label: {
        display: false,
        content: kindText(suggestion.kind),
        position: { x: 'center', y: 'end' },
        color: colors.text,
        font: { size: 12, weight: 'bold' },
        drawTime: 'afterDatasetsDraw',
      },
      enter: ({ element }) => {
        if (element.label) element.label.options.display = true;
        return true;
      },
      leave: ({ element }) => {
        if (element.label) element.label.options.display = false;
        return true;
      },
    };
  }
  return annotations;
}
