/**
 * The options of the newsroom embed, shared by the server (which validates them before
 * serving the page), the embed page, the host script and the dashboard's snippet builder.
 * No zod here on purpose: this module ships in the embed bundle, which must stay small.
 */

import { escapeMarkup } from './escape-markup.js';
import type { Annotation } from './annotations.js';
import { RATE_BUCKETS, type RateBucket } from './rate.js';
import type { PotSummary, SeriesPoint } from './types.js';

export const EMBED_THEMES = ['auto', 'light', 'dark'] as const;
export const EMBED_LANGUAGES = ['en', 'fr'] as const;
export const EMBED_RANGES = ['all', '24h', '1h'] as const;
/**
 * How the embed stays current: a live connection (falling back to polling when it cannot be
 * opened), polling a small snapshot that caches and CDNs absorb, or not at all (the figures as
 * the page was served).
 */
export const EMBED_LIVE_MODES = ['socket', 'poll', 'off'] as const;
/** The cumulative curves, or bars of what each period added (`bucket` long). */
export const EMBED_VIEWS = ['amount', 'rate'] as const;

export type EmbedTheme = (typeof EMBED_THEMES)[number];
export type EmbedLanguage = (typeof EMBED_LANGUAGES)[number];
export type EmbedRange = (typeof EMBED_RANGES)[number];
export type EmbedLiveMode = (typeof EMBED_LIVE_MODES)[number];
export type EmbedView = (typeof EMBED_VIEWS)[number];

export interface EmbedOptions {
  /** `auto` follows the reader's system setting. */
  theme: EmbedTheme;
  /** Undefined: the reader's browser language. */
  lang: EmbedLanguage | undefined;
  range: EmbedRange;
  counters: boolean;
  title: boolean;
  /** Height of the chart itself in CSS pixels; the frame adds the title, counters and credit. */
  height: number;
  /** `#rrggbb` colour of the amount curve, or undefined for the theme's. */
  accent: string | undefined;
  /** IANA time zone of the times shown, or undefined for the reader's. */
  tz: string | undefined;
  live: EmbedLiveMode;
  /** Marks the pot's context annotations on the chart and lists them. */
  annotations: boolean;
  view: EmbedView;
  /** The period of each bar of the rate view. */
  bucket: RateBucket;
}

export const EMBED_OPTION_NAMES = ['theme', 'lang', 'range', 'counters', 'title', 'height', 'accent', 'tz', 'live', 'annotations', 'view', 'bucket'] as const;
export type EmbedOptionName = (typeof EMBED_OPTION_NAMES)[number];

/** Points of the embed's chart: about its width in pixels in an article column. */
export const EMBED_CHART_POINTS = 600;

export const EMBED_HEIGHT_MIN = 120;
export const EMBED_HEIGHT_MAX = 800;

export const EMBED_DEFAULTS: EmbedOptions = {
  theme: 'auto',
  lang: undefined,
  range: 'all',
  counters: true,
  title: true,
  height: 260,
  accent: undefined,
  tz: undefined,
  live: 'socket',
  annotations: true,
  view: 'amount',
  bucket: '1h',
};

/**
 * What the embed's iframe lets it do, wherever the frame is written (the host script, oEmbed):
 * run its own scripts against its own origin, and open the pot's page in a new tab.
 */
export const EMBED_FRAME_SANDBOX = 'allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox';

/**
 * A first guess at the frame's height (title, status line, counters and credit around the
 * chart), used until the embed reports its real height.
 */
export function estimatedFrameHeight(options: Pick<EmbedOptions, 'height' | 'counters'>): number {
  return options.height + (options.counters ? 260 : 110);
}

/** The id of the JSON script element of the embed page: what the server drew the page with. */
export const EMBED_DATA_ELEMENT_ID = 'potwatch-embed-data';

/** What the embed page's script takes over from the server, so that the live view starts where the page is. */
export interface EmbedPageData {
  lang: EmbedLanguage;
  pot: PotSummary;
  /** The chart's points over its range, as drawn. */
  points: SeriesPoint[];
  /** The pot's context annotations, when the embed shows them. */
  annotations: Annotation[];
}

export type EmbedOptionsParse =
  | { ok: true; options: EmbedOptions }
  | { ok: false; field: EmbedOptionName; message: string };

/** Something with `get(name)`: URLSearchParams, or a plain query object through `fromQuery`. */
interface Lookup {
  get(name: string): unknown;
}

/**
 * Validates the embed options of a query. Absent options take their default; a present but
 * invalid one is an error naming it. Unknown parameters (pym.js adds `childId`,
 * `initialWidth`, `parentTitle`, `parentUrl`) are ignored.
 */
export function parseEmbedOptions(query: Lookup | Record<string, unknown>): EmbedOptionsParse {
  const lookup: Lookup = typeof query.get === 'function' ? (query as Lookup) : fromQuery(query as Record<string, unknown>);
  const options: EmbedOptions = { ...EMBED_DEFAULTS };
  for (const name of EMBED_OPTION_NAMES) {
    const raw = lookup.get(name);
    if (raw === undefined || raw === null || raw === '') continue;
    if (typeof raw !== 'string') return { ok: false, field: name, message: `${name} must be given once` };
    const problem = applyOption(options, name, raw);
    if (problem) return { ok: false, field: name, message: `${name} ${problem}` };
  }
  return { ok: true, options };
}

function fromQuery(query: Record<string, unknown>): Lookup {
  return { get: (name) => (Object.hasOwn(query, name) ? query[name] : undefined) };
}

/** Sets one option from its query text; returns what is wrong with it, if anything. */
function applyOption(options: EmbedOptions, name: EmbedOptionName, raw: string): string | undefined {
  switch (name) {
    case 'theme':
      if (!isOneOf(EMBED_THEMES, raw)) return 'must be one of auto, light, dark';
      options.theme = raw;
      return;
    case 'lang':
      if (!isOneOf(EMBED_LANGUAGES, raw)) return 'must be one of en, fr';
      options.lang = raw;
      return;
    case 'range':
      if (!isOneOf(EMBED_RANGES, raw)) return 'must be one of all, 24h, 1h';
      options.range = raw;
      return;
    case 'live':
      if (!isOneOf(EMBED_LIVE_MODES, raw)) return 'must be one of socket, poll, off';
      options.live = raw;
      return;
    case 'view':
      if (!isOneOf(EMBED_VIEWS, raw)) return 'must be one of amount, rate';
      options.view = raw;
      return;
    case 'bucket':
      if (!isOneOf(RATE_BUCKETS, raw)) return 'must be one of 5m, 15m, 1h, 1d';
      options.bucket = raw;
      return;
    case 'counters':
    case 'title':
    case 'annotations':
      if (raw !== '1' && raw !== '0') return 'must be 1 or 0';
      options[name] = raw === '1';
      return;
    case 'height': {
      const height = /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
      if (!(height >= EMBED_HEIGHT_MIN && height <= EMBED_HEIGHT_MAX)) {
        return `must be a whole number of pixels from ${EMBED_HEIGHT_MIN} to ${EMBED_HEIGHT_MAX}`;
      }
      options.height = height;
      return;
    }
    case 'accent': {
      const accent = normalizeHexColour(raw);
      if (!accent) return 'must be a hex colour such as #1d4ed8';
      options.accent = accent;
      return;
    }
    case 'tz': {
      const zone = canonicalTimeZone(raw);
      if (!zone) return 'must be an IANA time zone such as Europe/Paris';
      options.tz = zone;
      return;
    }
  }
}

function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

/** `#abc`, `abc`, `#aabbcc` or `aabbcc` -> `#aabbcc`; anything else -> undefined. */
export function normalizeHexColour(value: string): string | undefined {
  const match = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value.trim());
  if (!match) return undefined;
  const hex = match[1]!.toLowerCase();
  return `#${hex.length === 3 ? [...hex].map((digit) => digit + digit).join('') : hex}`;
}

/**
 * An IANA time zone the runtime knows, spelt as the runtime lists it when it does (so that
 * "europe/paris" reads "Europe/Paris"), else as given: runtimes disagree on which of two
 * linked names (Asia/Kolkata, Asia/Calcutta) is canonical, and the newsroom chose one.
 */
export function canonicalTimeZone(value: string): string | undefined {
  if (value.length > 64 || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(value)) return undefined;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
  const lower = value.toLowerCase();
  if (resolved.toLowerCase() === lower) return resolved;
  return Intl.supportedValuesOf('timeZone').find((zone) => zone.toLowerCase() === lower) ?? value;
}

/** The query text of the options that differ from the defaults, in a stable order. */
export function embedQuery(options: Partial<EmbedOptions>): string {
  const params = new URLSearchParams();
  for (const name of EMBED_OPTION_NAMES) {
    const text = optionText(name, options[name]);
    if (text !== undefined) params.set(name, text);
  }
  return params.toString();
}

function optionText(name: EmbedOptionName, value: EmbedOptions[EmbedOptionName] | undefined): string | undefined {
  if (value === undefined || value === EMBED_DEFAULTS[name]) return undefined;
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

export function embedUrl(origin: string, potId: string, options: Partial<EmbedOptions> = {}): string {
  const query = embedQuery(options);
  return `${origin}/embed/${encodeURIComponent(potId)}${query ? `?${query}` : ''}`;
}

/** The two lines a newsroom pastes into an article. */
export function embedSnippet(origin: string, potId: string, options: Partial<EmbedOptions> = {}): string {
  let attributes = ` data-potwatch="${escapeMarkup(potId)}"`;
  for (const name of EMBED_OPTION_NAMES) {
    const text = optionText(name, options[name]);
    if (text !== undefined) attributes += ` data-${name}="${escapeMarkup(text)}"`;
  }
  return `<div${attributes}></div>\n<script src="${escapeMarkup(origin)}/embed.js" async></script>`;
}
