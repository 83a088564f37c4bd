import { formatMoney } from '../../../shared/money.js';
import { locale } from './i18n.svelte.js';

export function money(minor: number, currency: string, options: { compact?: boolean; wholeUnits?: boolean } = {}): string {
  return formatMoney(minor, currency, locale(), options);
}

export function count(value: number): string {
  return new Intl.NumberFormat(locale()).format(value);
}

export function percent(ratio: number): string {
  return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 0 }).format(ratio);
}

/** Date and time in the viewer's time zone (or the one asked for). */
export function dateTime(at: number, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(at);
}

/** "8–11 January 2019", the span of a replayed period. */
export function dateRange(from: number, to: number): string {
  return new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'long', year: 'numeric' }).formatRange(from, to);
}
