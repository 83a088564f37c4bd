import type { AnnotationOptions } from 'chartjs-plugin-annotation';
import type { Annotation } from '../../../shared/annotations.js';
import { flagAnnotations } from './flag-annotations.js';
import { momentAnnotations } from './moment-annotations.js';
import type { ShownFlag } from './flag-text.js';
import { suggestionAnnotations, type ShownSuggestion } from './suggestion-annotations.js';

export interface ShownIntervals {
  flags: readonly ShownFlag[];
  suggestions: readonly ShownSuggestion[];
  selection: { from: number; to: number } | undefined;
  /** Context annotations, in the language they are shown in. */
  moments?: { list: readonly Annotation[]; lang: 'fr' | 'en' };
}

/** What a chart draws over its time axis: suggestions outlined, flags shaded, the selection, context marked, in the page's colours. */
export function intervalAnnotations(element: Element, shown: ShownIntervals): Record<string, AnnotationOptions> {
  const style = getComputedStyle(element);
  const css = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const text = css('--text', '#16181d');
  return {
    ...suggestionAnnotations(shown.suggestions, { suggestion: '#d97706', text }),
    ...flagAnnotations(shown.flags, { open: '#dc2626', resolved: '#6b7280', selection: css('--accent', '#1d4ed8'), text }, shown.selection),
    ...(shown.moments
      ? momentAnnotations(shown.moments.list, shown.moments.lang, { line: css('--text-muted', '#4b5160'), text, background: css('--surface', '#ffffff') })
      : {}),
  };
}
