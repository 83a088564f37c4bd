import type { EmbedLanguage } from './embed-options.js';
import { POT_ID_PATTERN } from './pot-id.js';
import type { PotSummary, SeriesPoint } from './types.js';

/** How pots are laid side by side: from each one's first reading, or on the calendar. */
export const COMPARE_ALIGNS = ['start', 'calendar'] as const;
export const COMPARE_METRICS = ['amount', 'contributors'] as const;
export type CompareAlign = (typeof COMPARE_ALIGNS)[number];
export type CompareMetric = (typeof COMPARE_METRICS)[number];

export const MIN_COMPARED = 2;
export const MAX_COMPARED = 5;
/** Points of each pot's line: about the chart's width in pixels. */
export const COMPARE_CHART_POINTS = 400;

export interface CompareOptions {
  pots: string[];
  align: CompareAlign;
  metric: CompareMetric;
}

export type CompareParse = { ok: true; options: CompareOptions } | { ok: false; field: 'pots' | 'align' | 'metric'; message: string };

/** `?pots=a,b[,…]&align=start|calendar&metric=amount|contributors`, checked. No zod: this ships in the embed. */
export function parseCompareQuery(get: (name: string) => string | null | undefined): CompareParse {
  const list = (get('pots') ?? '').split(',').map((id) => id.trim()).filter(Boolean);
  if (list.length < MIN_COMPARED || list.length > MAX_COMPARED) {
    return { ok: false, field: 'pots', message: `pots must list ${MIN_COMPARED} to ${MAX_COMPARED} pot ids, separated by commas` };
  }
  const invalid = list.find((id) => !POT_ID_PATTERN.test(id));
  if (invalid) return { ok: false, field: 'pots', message: `pots: "${invalid.slice(0, 64)}" is not a pot id` };
  if (new Set(list).size !== list.length) return { ok: false, field: 'pots', message: 'pots must not list a pot twice' };
  const align = get('align') || 'start';
  if (!(COMPARE_ALIGNS as readonly string[]).includes(align)) return { ok: false, field: 'align', message: 'align must be start or calendar' };
  const metric = get('metric') || 'amount';
  if (!(COMPARE_METRICS as readonly string[]).includes(metric)) return { ok: false, field: 'metric', message: 'metric must be amount or contributors' };
  return { ok: true, options: { pots: list, align: align as CompareAlign, metric: metric as CompareMetric } };
}

/** The query of compare options, in a stable order. */
export function compareQuery(options: CompareOptions): string {
  const params = new URLSearchParams({ pots: options.pots.join(',') });
  if (options.align !== 'start') params.set('align', options.align);
  if (options.metric !== 'amount') params.set('metric', options.metric);
  return params.toString();
}

/** Hours since the first reading, the x of `align=start`. */
export const hoursSince = (first: number, at: number): number => (at - first) / 3_600_000;

/** One pot of a comparison as the server drew it: the view starts from it. */
export interface ComparedPotStart {
  pot: PotSummary;
  points: SeriesPoint[];
}

/** What the compare embed page carries for its script, in the order of `pots`. */
export interface ComparePageData {
  lang: EmbedLanguage;
  starts: ComparedPotStart[];
}
