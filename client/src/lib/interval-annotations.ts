import type { AnnotationOptions } from 'chartjs-plugin-annotation';
import { flagAnnotations } from './flag-annotations.js';
import type { ShownFlag } from './flag-text.js';
import { suggestionAnnotations, type ShownSuggestion } from './suggestion-annotations.js';

export interface ShownIntervals {
  flags: readonly ShownFlag[];
  suggestions: readonly ShownSuggestion[];
  selection: { from: number; to: number } | undefined;
}

/** The boxes a chart draws over its time axis: suggestions outlined, flags shaded, the selection, in the page's colours. */
export function intervalAnnotations(element: Element, shown: ShownIntervals): Record<string, AnnotationOptions> {
  const style = getComputedStyle(element);
  const css = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const text = css('--text', '#16181d');
  return {
    ...suggestionAnnotations(shown.suggestions, { suggestion: '#d97706', text }),
    ...flagAnnotations(shown.flags, { open: '#dc2626', resolved: '#6b7280', selection: css('--accent', '#1d4ed8'), text }, shown.selection),
  };
}
