import { formatMoney, minorDigits } from '../../shared/money.js';
import type { Rarity } from './calibration.js';
import { HOUR, MINUTE } from '../../shared/time.js';

/** Numbers and times for evidence sentences: plain English, UTC, no locale surprises. */

const integer = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });
const clock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const timeOnly = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

export const count = (value: number): string => integer.format(Math.round(value));

/** "9.1x", or "120x" once precision stops mattering. */
export const times = (ratio: number): string =>
  !Number.isFinite(ratio) ? 'many times' : `${ratio >= 20 ? integer.format(ratio) : oneDecimal.format(ratio)}x`;

export const percent = (fraction: number): string =>
  `${fraction < 0.1 ? oneDecimal.format(fraction * 100) : integer.format(fraction * 100)}%`;

export function duration(ms: number): string {
  const minutes = Math.round(ms / MINUTE);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

/** "Wed 9 Jan 23:00 to Thu 10 Jan 05:30 UTC", dropping the repeated date when both ends share it. */
export function span(from: number, to: number): string {
  const sameDay = new Date(from).toISOString().slice(0, 10) === new Date(to).toISOString().slice(0, 10);
  return `${clock.format(from)} to ${sameDay ? timeOnly.format(to) : clock.format(to)} UTC`;
}

export const perHour = (ratePerMs: number): number => Math.round(ratePerMs * HOUR * 10) / 10;

/** Amounts in the pot's currency when known, else in major units with the usual two decimals. */
export function money(minor: number, currency: string | undefined): string {
  if (currency) return formatMoney(Math.round(minor), currency, 'en-GB');
  const digits = minorDigits('EUR');
  return (minor / 10 ** digits).toFixed(digits);
}

export const round = (value: number, decimals = 2): number | null =>
  Number.isFinite(value) ? Math.round(value * 10 ** decimals) / 10 ** decimals : null;

const significant = new Intl.NumberFormat('en-GB', { maximumSignificantDigits: 2 });

/** "4,200", "2.3 million", or "10^14" once the figure is only an order of magnitude. */
export function manyTimes(log10: number): string {
  if (log10 < 6) return significant.format(10 ** log10);
  if (log10 < 9) return `${significant.format(10 ** (log10 - 6))} million`;
  if (log10 < 12) return `${significant.format(10 ** (log10 - 9))} billion`;
  return `10^${Math.round(log10)}`;
}

/** The calibrated score in words: how often honest pots show an interval like this one. */
export function rarityText(rarity: Rarity): string {
  const measured = `${count(rarity.potDays)} honest synthetic pot-days`;
  return rarity.extrapolated
    ? `Stronger than anything seen on ${measured}: extrapolated, about 1 in ${manyTimes(rarity.score)} honest pot-days would show this.`
    : `About 1 in ${manyTimes(rarity.score)} honest pot-days shows an interval like this (measured on ${measured}).`;
}
