import type { EmbedLanguage } from '../../shared/embed-options.js';
import { escapeMarkup } from '../../shared/escape-markup.js';
import { formatMoney, minorToMajor } from '../../shared/money.js';
import { THEME_COLOURS, type ThemeName } from '../../shared/theme-colours.js';
import type { Reading, SeriesPoint } from '../../shared/types.js';

const MESSAGES = {
  en: {
    contributors: '{count} contributors',
    credit: 'Data: {platform}, via Potwatch',
    creditPlain: 'Data via Potwatch',
    updated: 'Updated {time}',
    noReading: 'No reading yet',
    replay: 'Replay of historical figures',
    summary: '{title}: {amount} raised from {contributors} contributors',
    amountLegend: 'Amount raised',
    contributorsLegend: 'Contributors',
    pageTitle: '{title}: live chart (Potwatch)',
  },
  fr: {
    contributors: '{count} participants',
    credit: 'Données : {platform}, via Potwatch',
    creditPlain: 'Données via Potwatch',
    updated: 'Mis à jour {time}',
    noReading: 'Aucun relevé pour l’instant',
    replay: 'Rediffusion de chiffres historiques',
    summary: '{title} : {amount} collectés auprès de {contributors} participants',
    amountLegend: 'Montant collecté',
    contributorsLegend: 'Participants',
    pageTitle: '{title} : graphique en direct (Potwatch)',
  },
} as const;

const LOCALES: Record<EmbedLanguage, string> = { en: 'en-GB', fr: 'fr-FR' };
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const PAD = 24;

export type ChartMessage = keyof (typeof MESSAGES)['en'];

/** How a chart writes its words, money, counts and times, in one language and time zone. */
export interface ChartWords {
  say(message: ChartMessage, values?: Record<string, string>): string;
  money(minor: number): string;
  /** Short money for an axis: "€1.4m". */
  axisMoney(minor: number): string;
  count(value: number, compact?: boolean): string;
  /** Medium date and short time, with the zone's short name. */
  time(at: number): string;
}

export function chartWords(lang: EmbedLanguage, currency: string, timeZone: string): ChartWords {
  const locale = LOCALES[lang];
  const compactMoney = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    notation: 'compact',
    minimumFractionDigits: 0,
    maximumFractionDigits: 1,
  });
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone });
  const zone = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' });
  return {
    say: (message, values = {}) => MESSAGES[lang][message].replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? ''),
    money: (minor) => formatMoney(minor, currency, locale, { wholeUnits: true }),
    axisMoney: (minor) => compactMoney.format(minorToMajor(minor, currency)),
    count: (value, compact = false) =>
      new Intl.NumberFormat(locale, compact ? { notation: 'compact', maximumFractionDigits: 1 } : {}).format(value),
    time: (at) => {
      const zoneName = zone.formatToParts(at).find((part) => part.type === 'timeZoneName')?.value;
      return `${when.format(at)}${zoneName ? ` ${zoneName}` : ''}`;
    },
  };
}

/** An axis from zero: a round step between ticks, and the top a whole number of steps. */
export interface Axis {
  step: number;
  top: number;
}

/** Each figure on its own axis, over the time the points span. */
export interface ChartScales {
  amount: Axis;
  contributors: Axis;
  from: number;
  to: number;
}

/** Height of a tick label in the live chart's axes (chart.js: 12 px font, line height 1.2). */
const TICK_LINE_PX = 14.4;

/**
 * Axes as the live chart (chart.js) chooses them for a plot `plotHeight` pixels high, so that
 * the still drawing and the live one agree: as many ticks as fit, at most 11, a step of 1, 2 or
 * 5 times a power of ten, the top rounded up to a step.
 */
export function chartScales(points: readonly SeriesPoint[], plotHeight: number): ChartScales | undefined {
  if (points.length === 0) return undefined;
  let amount = 0;
  let contributors = 0;
  for (const point of points) {
    if (point[1] > amount) amount = point[1];
    if (point[2] > contributors) contributors = point[2];
  }
  const spaces = Math.max(1, Math.min(11, Math.ceil(plotHeight / TICK_LINE_PX)) - 1);
  return { amount: axis(amount, spaces), contributors: axis(contributors, spaces), from: points[0]![0], to: points[points.length - 1]![0] };
}

function axis(max: number, spaces: number): Axis {
  if (!(max > 0)) return { step: 1, top: 1 };
  let step = niceStep(max / spaces);
  const needed = Math.ceil(max / step);
  if (needed > spaces) step = niceStep((needed * step) / spaces);
  return { step, top: Math.ceil(max / step) * step };
}

/** The smallest of 1, 2, 5 or 10 times a power of ten that is at least `value`. */
export function niceStep(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  const fraction = value / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
}

/** The values of an axis's ticks, from zero to its top. */
export function axisTicks(axis: Axis): number[] {
  return Array.from({ length: Math.round(axis.top / axis.step) + 1 }, (_, index) => index * axis.step);
}

/** CSS colours of the plot: literal ones for an image, or variables of the page's theme. */
export interface PlotColours {
  amount: string;
  contributors: string;
  grid: string;
}

export interface ChartSvgInput {
  title: string;
  currency: string;
  platform?: string;
  replay: boolean;
  points: readonly SeriesPoint[];
  latest: Reading | undefined;
  width: number;
  height: number;
  theme: ThemeName;
  lang: EmbedLanguage;
  timeZone: string;
  /** `#rrggbb` of the amount curve. */
  accent?: string;
  showTitle: boolean;
  showCounters: boolean;
  /** Moments of context annotations, marked on the plot. */
  moments?: readonly number[];
}

/** A still image of a pot's chart for social cards and print, built as plain text. */
export function buildChartSvg(input: ChartSvgInput): string {
  const palette = THEME_COLOURS[input.theme];
  const words = chartWords(input.lang, input.currency, input.timeZone);
  const { width, height } = input;

  const parts: string[] = [];
  const text = (x: number, y: number, content: string, attributes: string) =>
    parts.push(`<text x="${x}" y="${y}" ${attributes}>${escapeMarkup(content)}</text>`);

  let top = PAD;
  if (input.showTitle) {
    text(PAD, top + 22, truncate(input.title, Math.floor((width - 2 * PAD) / 12)), `font-size="22" font-weight="700" fill="${palette.text}"`);
    top += 36;
  }
  if (input.showCounters && input.latest) {
    text(PAD, top + 38, words.money(input.latest.amountMinor), `font-size="38" font-weight="700" fill="${palette.text}"`);
    text(PAD, top + 64, words.say('contributors', { count: words.count(input.latest.contributors) }), `font-size="17" fill="${palette.muted}"`);
    top += 78;
  }

  const area = { left: PAD + 64, right: width - PAD - 52, top: top + 12, bottom: height - PAD - 46 };
  const scales = chartScales(input.points, area.bottom - area.top);
  if (!scales || area.bottom - area.top < 40) {
    text(width / 2, (area.top + area.bottom) / 2, words.say('noReading'), `font-size="18" text-anchor="middle" fill="${palette.muted}"`);
  } else {
    const colours = { amount: input.accent ?? palette.amount, contributors: palette.contributors, grid: palette.grid };
    const size = { width: area.right - area.left, height: area.bottom - area.top };
    parts.push(plotSvg(input.points, scales, colours, size, `x="${area.left}" y="${area.top}" width="${size.width}" height="${size.height}"`, input.moments));
    const label = `font-size="13" fill="${palette.muted}"`;
    text(area.left - 8, area.top + 4, words.axisMoney(scales.amount.top), `${label} text-anchor="end"`);
    text(area.left - 8, area.bottom, words.axisMoney(0), `${label} text-anchor="end"`);
    text(area.right + 8, area.top + 4, words.count(scales.contributors.top, true), label);
    text(area.right + 8, area.bottom, words.count(0), label);
    text(area.left, area.bottom + 20, words.time(scales.from), label);
    if (scales.to !== scales.from) text(area.right, area.bottom + 20, words.time(scales.to), `${label} text-anchor="end"`);
  }

  const credit = input.platform ? words.say('credit', { platform: input.platform }) : words.say('creditPlain');
  const footer = `font-size="14" fill="${palette.muted}"`;
  text(PAD, height - PAD, input.replay ? `${credit} · ${words.say('replay')}` : credit, footer);
  if (input.latest) text(width - PAD, height - PAD, words.say('updated', { time: words.time(input.latest.at) }), `${footer} text-anchor="end"`);

  const summary = input.latest
    ? words.say('summary', { title: input.title, amount: words.money(input.latest.amountMinor), contributors: words.count(input.latest.contributors) })
    : input.title;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"` +
    ` role="img" aria-labelledby="title" font-family="${FONT}">` +
    `<title id="title">${escapeMarkup(summary)}</title>` +
    `<rect width="${width}" height="${height}" fill="${palette.surface}"/>` +
    parts.join('') +
    '</svg>'
  );
}

/**
 * The plot alone — a grid line per amount tick, filled amount curve, contributors line, each figure on its own scale —
 * drawn in a `size.width` × `size.height` box that stretches to whatever holds it (`attributes`
 * place and size it), its lines keeping their width. An image places it at its own size; a page
 * lets it fill the chart's box, whatever the reader's screen.
 */
export function plotSvg(
  points: readonly SeriesPoint[],
  scales: ChartScales,
  colours: PlotColours,
  size: { width: number; height: number },
  attributes: string,
  /** Moments of context annotations, marked by a dashed line where they fall in the plot. */
  moments: readonly number[] = [],
): string {
  const span = scales.to - scales.from;
  const x = (at: number) => round(span > 0 ? ((at - scales.from) / span) * size.width : size.width / 2);
  const y = (value: number, top: number) => round(size.height - (value / top) * size.height);
  const amountLine = points.map((point) => `${x(point[0])},${y(point[1], scales.amount.top)}`).join(' ');
  const contributorsLine = points.map((point) => `${x(point[0])},${y(point[2], scales.contributors.top)}`).join(' ');
  const firstX = x(scales.from);
  const lastX = x(scales.to);
  const line = 'vector-effect="non-scaling-stroke" stroke-linejoin="round" fill="none"';
  return (
    `<svg ${attributes} viewBox="0 0 ${size.width} ${size.height}" preserveAspectRatio="none" overflow="visible">` +
    axisTicks(scales.amount)
      .map((tick) => y(tick, scales.amount.top))
      .map((lineY) => `<line x1="0" y1="${lineY}" x2="${size.width}" y2="${lineY}" style="stroke:${colours.grid}" stroke-width="1" vector-effect="non-scaling-stroke"/>`)
      .join('') +
    `<path d="M${firstX},${size.height} L${amountLine} L${lastX},${size.height} Z" style="fill:${colours.amount}" fill-opacity="0.13"/>` +
    `<polyline points="${amountLine}" style="stroke:${colours.amount}" stroke-width="2.5" ${line}/>` +
    `<polyline points="${contributorsLine}" style="stroke:${colours.contributors}" stroke-width="2" ${line}/>` +
    moments
      .filter((at) => at >= scales.from && at <= scales.to)
      .map((at) => `<line x1="${x(at)}" y1="0" x2="${x(at)}" y2="${size.height}" style="stroke:${colours.grid}" stroke-width="1.5" stroke-dasharray="3 3" vector-effect="non-scaling-stroke"/>`)
      .join('') +
    '</svg>'
  );
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function truncate(text: string, length: number): string {
  const characters = [...text];
  return characters.length <= length ? text : `${characters.slice(0, Math.max(1, length - 1)).join('')}…`;
}
