import type { AnnotationOptions } from 'chartjs-plugin-annotation';
import type { PublicFlag } from '../../../shared/flags.js';
import { reasonText } from './flag-text.js';

export interface FlagColors {
  open: string;
  resolved: string;
  selection: string;
  text: string;
}

export const SELECTION_ID = 'selection';

/**
 * One shaded box per flag across the whole height of the chart, its reason shown while the
 * pointer is over it (or after a tap). Drafts, seen only by moderators, get a dashed outline.
 */
export function flagAnnotations(
  flags: readonly (PublicFlag & { published?: boolean })[],
  colors: FlagColors,
  selection: { from: number; to: number } | undefined,
): Record<string, AnnotationOptions> {
  const annotations: Record<string, AnnotationOptions> = {};
  for (const flag of flags) {
    const color = flag.resolved ? colors.resolved : colors.open;
    annotations[`flag-${flag.id}`] = {
      type: 'box',
      xScaleID: 'x',
      xMin: flag.from,
      xMax: flag.to,
      backgroundColor: `${color}26`,
      borderColor: `${color}99`,
      borderWidth: 1,
      borderDash: flag.published === false ? [5, 4] : [],
      drawTime: 'beforeDatasetsDraw',
      label: {
        display: false,
        content: reasonText(flag.reason),
        position: { x: 'center', y: 'start' },
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
      click: ({ element }) => {
        if (element.label) element.label.options.display = !element.label.options.display;
        return true;
      },
    };
  }
  if (selection) {
    annotations[SELECTION_ID] = {
      type: 'box',
      xScaleID: 'x',
      xMin: selection.from,
      xMax: selection.to,
      backgroundColor: `${colors.selection}33`,
      borderColor: colors.selection,
      borderWidth: 1,
      drawTime: 'beforeDatasetsDraw',
    };
  }
  return annotations;
}
