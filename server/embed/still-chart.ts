import type { EmbedLanguage } from '../../shared/embed-options.js';
import { escapeMarkup } from '../../shared/escape-markup.js';
import type { SeriesPoint } from '../../shared/types.js';
import { axisTicks, chartScales, chartWords, plotSvg, type PlotColours } from './chart-svg.js';

export interface StillChartInput {
  points: readonly SeriesPoint[];
  /** Height of the chart's box in pixels (legend and time axis included). */
  height: number;
  currency: string;
  lang: EmbedLanguage;
  timeZone: string;
  /** `#rrggbb` of the amount curve, else the theme's. */
  accent?: string;
  /** Moments of the pot's context annotations, marked by a line. */
  moments?: readonly number[];
}

/** The page's theme variables (client/src/lib/theme.css): the drawing follows the reader's light or dark setting. */
const THEME: PlotColours & { text: string } = {
  amount: 'var(--chart-amount)',
  contributors: 'var(--chart-contributors)',
  grid: 'var(--chart-grid)',
  text: 'var(--text-muted)',
};

/** Nominal size of the plot's drawing: it stretches to the chart's box, which CSS sizes. */
const PLOT_SIZE = { width: 600, height: 200 };
/** Half a label's line: grid lines meet the middle of their labels. */
const HALF_LINE = '0.45rem';
/** The times below: their padding and one line. */
const TIMES_ROW = '1.2rem';
/** What the legend above and the times below take from the chart's box, about. */
const LEGEND_AND_TIMES_PX = 48;

/**
 * A pot's chart as a page shows it before any script runs: the legend, the plot and the axis
 * labels laid out as the live chart lays them out (legend above, amounts left, contributors
 * right, times below), filling the box it is put in at any width. It carries its own styles,
 * so that it needs nothing else to show; it is a picture for the eye only (`aria-hidden`), the
 * page saying the figures in words.
 */
export function stillChartHtml(input: StillChartInput): string {
  const words = chartWords(input.lang, input.currency, input.timeZone);
  const colours = { ...THEME, amount: input.accent ?? THEME.amount };
  const scales = chartScales(input.points, input.height - LEGEND_AND_TIMES_PX);
  const legend = (label: string, colour: string) =>
    `<span style="display:inline-flex;align-items:center;gap:0.35rem">` +
    `<span style="display:inline-block;width:14px;height:10px;border:2px solid ${colour};background:color-mix(in srgb, ${colour} 13%, transparent)"></span>` +
    `${escapeMarkup(label)}</span>`;
  const column = (labels: string[], align: 'end' | 'start', colour: string) =>
    `<div style="display:flex;flex-direction:column;justify-content:space-between;text-align:${align};color:${colour};padding-${align === 'end' ? 'right' : 'left'}:0.4rem">` +
    labels.map((label) => `<span>${escapeMarkup(label)}</span>`).join('') +
    '</div>';

  const frame =
    `position:absolute;inset:0;display:flex;flex-direction:column;font-size:12px;line-height:0.9rem;` +
    `color:${colours.text};font-variant-numeric:tabular-nums`;
  if (!scales) {
    return (
      `<div aria-hidden="true" style="${frame};align-items:center;justify-content:center">` +
      `<span>${escapeMarkup(words.say('noReading'))}</span></div>`
    );
  }
  // Placed out of the flow: the drawing takes the space the labels leave, and never asks for more.
  const plot = plotSvg(
    input.points,
    scales,
    colours,
    PLOT_SIZE,
    `width="100%" height="100%" style="position:absolute;left:0;top:${HALF_LINE};height:calc(100% - 2 * ${HALF_LINE})"`,
    input.moments,
  );
  const time = (at: number) => `<span>${escapeMarkup(words.time(at))}</span>`;
  return (
    `<div aria-hidden="true" style="${frame}">` +
    `<div style="display:flex;justify-content:center;gap:0.75rem;padding-bottom:0.5rem">` +
    legend(words.say('amountLegend'), colours.amount) +
    legend(words.say('contributorsLegend'), colours.contributors) +
    '</div>' +
    // The times' row has its height before its markup arrives: a page painted while it still
    // streams in shows the amounts where they stay.
    `<div style="flex:1;min-height:0;display:grid;grid-template-columns:auto 1fr auto;grid-template-rows:1fr ${TIMES_ROW}">` +
    column(axisTicks(scales.amount).reverse().map(words.axisMoney), 'end', colours.amount) +
    `<div style="position:relative;min-width:0">${plot}</div>` +
    column(axisTicks(scales.contributors).reverse().map((tick) => words.count(tick, true)), 'start', colours.contributors) +
    `<div></div><div style="display:flex;justify-content:space-between;gap:1rem;padding-top:0.3rem;white-space:nowrap;overflow:hidden">` +
    time(scales.from) +
    (scales.to !== scales.from ? time(scales.to) : '') +
    '</div><div></div>' +
    '</div></div>'
  );
}
