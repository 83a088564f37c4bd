import type { AnnotationOptions } from 'chartjs-plugin-annotation';
import { reasonText, type ShownFlag } from './flag-text.js';
import { intervalBox } from './interval-box.js';

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
  flags: readonly ShownFlag[],
  colors: FlagColors,
  selection: { from: number; to: number } | undefined,
): Record<string, AnnotationOptions> {
  const annotations: Record<string, AnnotationOptions> = {};
  for (const flag of flags) {
    const color = flag.resolved ? colors.resolved : colors.open;
    annotations[`flag-${flag.id}`] = intervalBox({
      from: flag.from,
      to: flag.to,
      fill: `${color}26`,
      border: `${color}99`,
      borderWidth: 1,
      borderDash: flag.published === false ? [5, 4] : [],
      label: reasonText(flag.reason),
      labelAt: 'start',
      textColor: colors.text,
      toggleOnTap: true,
    });
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
