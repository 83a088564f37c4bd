import { formatMoney, minorDigits } from '../../shared/money.js';
import type { Rarity } from './calibration.js';
import { formatPotDays } from '../../shared/suggestions.js';
import { HOUR, MINUTE } from '../../shared/time.js';

/**
 * Numbers and times for evidence sentences, in English and in French: UTC, no locale
 * surprises beyond each language's own way of writing numbers and dates.
 */
export interface EvidenceWords {
  count(value: number): string;
  /** Up to two decimals: "0.43", "0,43". */
  decimal(value: number): string;
  /** "9.1x" / "9,1 fois", or "120x" once precision stops mattering. */
  times(ratio: number): string;
  percent(fraction: number): string;
  duration(ms: number): string;
  /** "Wed 9 Jan, 23:00 to Thu 10 Jan, 05:30 UTC", dropping the repeated date when both ends share it. */
  span(from: number, to: number): string;
  /** Amounts in the pot's currency when known, else in major units with the usual two decimals. */
  money(minor: number, currency: string | undefined): string;
  /** "4,200", "2.3 million", or "10^14" once the figure is only an order of magnitude. */
  manyTimes(log10: number): string;
  /** The calibrated score in words: how often honest pots show an interval like this one. */
  rarity(rarity: Rarity): string;
  /** Said of a long interval whose figures cover only its last part. */
  lastPartOnly(describedMs: number, wholeMs: number): string;
}

interface Language {
  locale: string;
  timesSuffix: string;
  /** A ratio past counting (a usual rate of zero). */
  countless: string;
  percentSign: string;
  to: string;
  rarity(rarity: Rarity, words: EvidenceWords): string;
  lastPartOnly(described: string, whole: string): string;
}

const LANGUAGES: Record<'en' | 'fr', Language> = {
  en: {
    locale: 'en-GB',
    timesSuffix: 'x',
    countless: 'many times',
    percentSign: '%',
    to: 'to',
    rarity: (rarity, words) => {
      const measured = `${words.count(rarity.potDays)} honest synthetic pot-days`;
      return rarity.extrapolated
        ? `Stronger than anything seen on ${measured}: extrapolated, about 1 in ${words.manyTimes(rarity.score)} honest pot-days would show this.`
        : `About 1 in ${words.manyTimes(rarity.score)} honest pot-days shows an interval like this (measured on ${measured}).`;
    },
    lastPartOnly: (described, whole) => `(Figures for the last ${described} of this ${whole} interval.)`,
  },
  fr: {
    locale: 'fr-FR',
    timesSuffix: '\u00a0fois',
    countless: 'bien des fois',
    percentSign: '\u00a0%',
    to: 'à',
    rarity: (rarity, words) => {
      const measured = `${words.count(rarity.potDays)} journées de cagnottes honnêtes synthétiques`;
      return rarity.extrapolated
        ? `Plus marqué que tout ce qui a été vu sur ${measured} : par extrapolation, environ 1 journée de cagnotte honnête sur ${words.manyTimes(rarity.score)} montrerait cela.`
        : `Environ 1 journée de cagnotte honnête sur ${words.manyTimes(rarity.score)} montre un intervalle comme celui-ci (mesuré sur ${measured}).`;
    },
    lastPartOnly: (described, whole) => `(Les chiffres portent sur la fin de cet intervalle de ${whole}, soit ${described}.)`,
  },
};

function wordsIn(language: Language): EvidenceWords {
  const integer = new Intl.NumberFormat(language.locale, { maximumFractionDigits: 0 });
  const oneDecimal = new Intl.NumberFormat(language.locale, { maximumFractionDigits: 1 });
  const twoDecimals = new Intl.NumberFormat(language.locale, { maximumFractionDigits: 2 });
  const clock = new Intl.DateTimeFormat(language.locale, {
    timeZone: 'UTC',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const majorUnits = new Intl.NumberFormat(language.locale, {
    minimumFractionDigits: minorDigits('EUR'),
    maximumFractionDigits: minorDigits('EUR'),
    useGrouping: false,
  });
  const timeOnly = new Intl.DateTimeFormat(language.locale, { timeZone: 'UTC', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const words: EvidenceWords = {
    count: (value) => integer.format(Math.round(value)),
    decimal: (value) => twoDecimals.format(value),
    times: (ratio) =>
      Number.isFinite(ratio) ? `${ratio >= 20 ? integer.format(ratio) : oneDecimal.format(ratio)}${language.timesSuffix}` : language.countless,
    percent: (fraction) => `${fraction < 0.1 ? oneDecimal.format(fraction * 100) : integer.format(fraction * 100)}${language.percentSign}`,
    duration: (ms) => {
      const minutes = Math.round(ms / MINUTE);
      if (minutes < 60) return `${minutes} min`;
      const hours = Math.floor(minutes / 60);
      const rest = minutes % 60;
      return rest ? `${hours} h ${rest} min` : `${hours} h`;
    },
    span: (from, to) => {
      const sameDay = new Date(from).toISOString().slice(0, 10) === new Date(to).toISOString().slice(0, 10);
      return `${clock.format(from)} ${language.to} ${sameDay ? timeOnly.format(to) : clock.format(to)} UTC`;
    },
    money: (minor, currency) =>
      currency ? formatMoney(Math.round(minor), currency, language.locale) : majorUnits.format(minor / 10 ** minorDigits('EUR')),
    manyTimes: (log10) => (log10 < 12 ? formatPotDays(10 ** log10, language.locale) : `10^${Math.round(log10)}`),
    rarity: (rarity) => language.rarity(rarity, words),
    lastPartOnly: (describedMs, wholeMs) => language.lastPartOnly(words.duration(describedMs), words.duration(wholeMs)),
  };
  return words;
}

export const en = wordsIn(LANGUAGES.en);
export const fr = wordsIn(LANGUAGES.fr);

export const perHour = (ratePerMs: number): number => Math.round(ratePerMs * HOUR * 10) / 10;

export const round = (value: number, decimals = 2): number | null =>
  Number.isFinite(value) ? Math.round(value * 10 ** decimals) / 10 ** decimals : null;
