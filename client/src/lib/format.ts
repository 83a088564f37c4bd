import { formatMoney } from '../../../shared/money.js';
import { locale } from './i18n.svelte.js';

/**
 * Building an Intl formatter costs far more than using one, and the counters, the status
 * line and the table of figures are formatted again on every reading: each is built once
 * per locale and options.
 */
const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function cached<F>(formats: Map<string, F>, key: string, build: () => F): F {
  let format = formats.get(key);
  if (!format) {
    format = build();
    formats.set(key, format);
  }
  return format;
}

export function money(minor: number, currency: string, options: { compact?: boolean; wholeUnits?: boolean } = {}): string {
  return formatMoney(minor, currency, locale(), options);
}

export function count(value: number): string {
  const tag = locale();
  return cached(numberFormats, `${tag}|count`, () => new Intl.NumberFormat(tag)).format(value);
}

export function percent(ratio: number): string {
  const tag = locale();
  const format = cached(numberFormats, `${tag}|percent`, () =>
    new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 0 }),
  );
  return format.format(ratio);
}

/** Medium date and short time in the viewer's time zone (or the one asked for): one instant, or a range. */
export function dateTimeFormat(timeZone?: string): Intl.DateTimeFormat {
  const tag = locale();
  return cached(dateFormats, `${tag}|${timeZone ?? ''}|dateTime`, () =>
    new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short', timeZone }),
  );
}

/** The zone a time is said in, as readers know it: "UTC", "CET", "GMT+1". */
export function zoneName(at: number, timeZone?: string): string {
  const tag = locale();
  const format = cached(dateFormats, `${tag}|${timeZone ?? ''}|zone`, () => new Intl.DateTimeFormat(tag, { timeZoneName: 'short', timeZone }));
  return format.formatToParts(at).find((part) => part.type === 'timeZoneName')?.value ?? '';
}

/** "8 Jan 2019, 10:59 UTC": every time shown says its zone. */
export function dateTime(at: number, timeZone?: string): string {
  return `${dateTimeFormat(timeZone).format(at)} ${zoneName(at, timeZone)}`.trimEnd();
}

/** "8–11 January 2019", the span of a replayed period. */
export function dateRange(from: number, to: number): string {
  const tag = locale();
  const format = cached(dateFormats, `${tag}|dateRange`, () =>
    new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'long', year: 'numeric' }),
  );
  return format.formatRange(from, to);
}
