import type { AnnotationOptions } from 'chartjs-plugin-annotation';
import { annotationText, type Annotation } from '../../../shared/annotations.js';

/** Longest label drawn on the chart; the whole one shows while the pointer is over it, and in the list. */
const SHOWN_LENGTH = 32;

const shortened = (text: string) => (text.length > SHOWN_LENGTH ? `${text.slice(0, SHOWN_LENGTH - 1)}…` : text);

/** A vertical line at each annotation's moment, its label at the top of the chart. */
export function momentAnnotations(
  moments: readonly Annotation[],
  lang: 'fr' | 'en',
  colors: { line: string; text: string; background: string },
): Record<string, AnnotationOptions> {
  const annotations: Record<string, AnnotationOptions> = {};
  moments.forEach((moment, index) => {
    const text = annotationText(moment.label, lang);
    annotations[`moment-${moment.id}`] = {
      type: 'line',
      xScaleID: 'x',
      xMin: moment.at,
      xMax: moment.at,
      // A replay's story runs ahead of its readings, and context may predate them: the time
      // axis stays on the readings, and a moment outside them is only listed.
      adjustScaleRange: false,
      borderColor: colors.line,
      borderWidth: 1,
      borderDash: [3, 3],
      drawTime: 'afterDatasetsDraw',
      label: {
        display: true,
        content: shortened(text),
        position: 'start',
        // Staggered upwards from the foot of the plot (below it they would be cut off), so that
        // labels of moments close together do not cover each other.
        yAdjust: -(index % 3) * 20,
        color: colors.text,
        backgroundColor: colors.background,
        font: { size: 11 },
        padding: 3,
      },
      enter: ({ element }) => showLabel(element, text),
      leave: ({ element }) => showLabel(element, shortened(text)),
    };
  });
  return annotations;
}

/** Changes the text an annotation's label shows; true redraws the chart. */
function showLabel(element: { label?: { options: object } }, content: string): boolean {
  if (element.label) (element.label.options as { content: string }).content = content;
  return true;
}
