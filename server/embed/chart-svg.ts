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
  },
  fr: {
    contributors: '{count} participants',
    credit: 'Données : {platform}, via Potwatch',
    creditPlain: 'Données via Potwatch',
    updated: 'Mis à jour {time}',
    noReading: 'Aucun relevé pour l’instant',
    replay: 'Rediffusion de chiffres historiques',
    summary: '{title} : {amount} collectés auprès de {contributors} participants',
  },
} as const;

const LOCALES: Record<EmbedLanguage, string> = { en: 'en-GB', fr: 'fr-FR' };
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const PAD = 24;

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
}

/** A still image of a pot's chart for social cards and print, built as plain text. */
export function buildChartSvg(input: ChartSvgInput): string {
  const palette = THEME_COLOURS[input.theme];
  const amountColour = input.accent ?? palette.amount;
  const messages = MESSAGES[input.lang];
  const locale = LOCALES[input.lang];
  const { width, height } = input;
  const say = (template: string, values: Record<string, string>) =>
    template.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');
  const money = (minor: number) => formatMoney(minor, input.currency, locale, { wholeUnits: true });
  const compactMoney = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: input.currency,
    notation: 'compact',
    minimumFractionDigits: 0,
    maximumFractionDigits: 1,
  });
  const axisMoney = (minor: number) => compactMoney.format(minorToMajor(minor, input.currency));
  const number = (value: number, compact = false) =>
    new Intl.NumberFormat(locale, compact ? { notation: 'compact', maximumFractionDigits: 1 } : {}).format(value);
  const when = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: input.timeZone,
  });
  const zoneName = new Intl.DateTimeFormat(locale, { timeZone: input.timeZone, timeZoneName: 'short' })
    .formatToParts(input.latest?.at ?? 0)
    .find((part) => part.type === 'timeZoneName')?.value;
  const time = (at: number) => `${when.format(at)}${zoneName ? ` ${zoneName}` : ''}`;

  const parts: string[] = [];
  const text = (x: number, y: number, content: string, attributes: string) =>
    parts.push(`<text x="${x}" y="${y}" ${attributes}>${escapeMarkup(content)}</text>`);

  let top = PAD;
  if (input.showTitle) {
    text(PAD, top + 22, truncate(input.title, Math.floor((width - 2 * PAD) / 12)), `font-size="22" font-weight="700" fill="${palette.text}"`);
    top += 36;
  }
  if (input.showCounters && input.latest) {
    text(PAD, top + 38, money(input.latest.amountMinor), `font-size="38" font-weight="700" fill="${palette.text}"`);
    text(PAD, top + 64, say(messages.contributors, { count: number(input.latest.contributors) }), `font-size="17" fill="${palette.muted}"`);
    top += 78;
  }

  const area = { left: PAD + 64, right: width - PAD - 52, top: top + 12, bottom: height - PAD - 46 };
  if (input.points.length === 0 || area.bottom - area.top < 40) {
    text(width / 2, (area.top + area.bottom) / 2, messages.noReading, `font-size="18" text-anchor="middle" fill="${palette.muted}"`);
  } else {
    const tops = {
      amount: niceCeiling(Math.max(...input.points.map((point) => point[1]))),
      contributors: niceCeiling(Math.max(...input.points.map((point) => point[2]))),
    };
    parts.push(...plot(input.points, area, tops, { amount: amountColour, contributors: palette.contributors, grid: palette.grid }));
    const first = input.points[0]!;
    const last = input.points[input.points.length - 1]!;
    const label = `font-size="13" fill="${palette.muted}"`;
    text(area.left - 8, area.top + 4, axisMoney(tops.amount), `${label} text-anchor="end"`);
    text(area.left - 8, area.bottom, axisMoney(0), `${label} text-anchor="end"`);
    text(area.right + 8, area.top + 4, number(tops.contributors, true), label);
    text(area.right + 8, area.bottom, number(0), label);
    text(area.left, area.bottom + 20, time(first[0]), label);
    if (last[0] !== first[0]) text(area.right, area.bottom + 20, time(last[0]), `${label} text-anchor="end"`);
  }

  const credit = input.platform ? say(messages.credit, { platform: input.platform }) : messages.creditPlain;
  const footer = `font-size="14" fill="${palette.muted}"`;
  text(PAD, height - PAD, input.replay ? `${credit} · ${messages.replay}` : credit, footer);
  if (input.latest) text(width - PAD, height - PAD, say(messages.updated, { time: time(input.latest.at) }), `${footer} text-anchor="end"`);

  const summary = input.latest
    ? say(messages.summary, { title: input.title, amount: money(input.latest.amountMinor), contributors: number(input.latest.contributors) })
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

interface Area {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** Grid, the filled amount curve and the contributors line, each on its own scale from zero to its top. */
function plot(
  points: readonly SeriesPoint[],
  area: Area,
  tops: { amount: number; contributors: number },
  colours: { amount: string; contributors: string; grid: string },
): string[] {
  const from = points[0]![0];
  const span = points[points.length - 1]![0] - from;
  const x = (at: number) => round(span > 0 ? area.left + ((at - from) / span) * (area.right - area.left) : (area.left + area.right) / 2);
  const y = (value: number, top: number) => round(area.bottom - (value / top) * (area.bottom - area.top));
  const amountLine = points.map((point) => `${x(point[0])},${y(point[1], tops.amount)}`).join(' ');
  const contributorsLine = points.map((point) => `${x(point[0])},${y(point[2], tops.contributors)}`).join(' ');
  const firstX = x(from);
  const lastX = x(points[points.length - 1]![0]);
  const middle = round((area.top + area.bottom) / 2);
  return [
    ...[area.top, middle, area.bottom].map(
      (lineY) => `<line x1="${area.left}" y1="${lineY}" x2="${area.right}" y2="${lineY}" stroke="${colours.grid}" stroke-width="1"/>`,
    ),
    `<path d="M${firstX},${area.bottom} L${amountLine} L${lastX},${area.bottom} Z" fill="${colours.amount}" fill-opacity="0.13"/>`,
    `<polyline points="${amountLine}" fill="none" stroke="${colours.amount}" stroke-width="2.5" stroke-linejoin="round"/>`,
    `<polyline points="${contributorsLine}" fill="none" stroke="${colours.contributors}" stroke-width="2" stroke-linejoin="round"/>`,
  ];
}

/** The smallest of 1, 2, 2.5, 5 or 10 times a power of ten that is at least `value`. */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function truncate(text: string, length: number): string {
  const characters = [...text];
  return characters.length <= length ? text : `${characters.slice(0, Math.max(1, length - 1)).join('')}…`;
}
