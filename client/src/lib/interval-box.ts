import type { AnnotationOptions } from 'chartjs-plugin-annotation';

export interface IntervalBox {
  from: number;
  to: number;
  fill: string;
  border: string;
  borderWidth: number;
  borderDash: number[];
  label: string;
  /** Where the label sits: at the top of the box or at its bottom. */
  labelAt: 'start' | 'end';
  textColor: string;
  /** A tap shows or hides the label too, where there is no pointer to hover with. */
  toggleOnTap?: boolean;
}

/** A box over [from, to] across the whole height of the chart, its label shown while the pointer is over it. */
export function intervalBox(box: IntervalBox): AnnotationOptions {
  return {
    type: 'box',
    xScaleID: 'x',
    xMin: box.from,
    xMax: box.to,
    backgroundColor: box.fill,
    borderColor: box.border,
    borderWidth: box.borderWidth,
    borderDash: box.borderDash,
    drawTime: 'beforeDatasetsDraw',
    label: {
      display: false,
      content: box.label,
      position: { x: 'center', y: box.labelAt },
      color: box.textColor,
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
    ...(box.toggleOnTap
      ? {
          click: ({ element }) => {
            if (element.label) element.label.options.display = !element.label.options.display;
            return true;
          },
        }
      : {}),
  };
}
