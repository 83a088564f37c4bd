import { majorToMinor, minorDigits } from '../../shared/money.js';
import { decimalSeparatorOf, parseLocaleNumber } from './locale-number.js';
import { SourceFailure } from './source-failure.js';

/** How a source writes its figures. */
export interface FigureFormat {
  currency: string;
  /** BCP 47 locale of the page, when configured. */
  locale?: string | undefined;
  /** Whether a JSON amount counts major units (12.50) or minor units (1250). */
  amountIn?: 'major' | 'minor';
}

/** The amount in minor units from a text such as "1 400 000,50 €". */
export function amountFromText(text: string, format: FigureFormat): number {
  const parsed = parseLocaleNumber(text, {
    decimalSeparator: format.locale ? decimalSeparatorOf(format.locale) : undefined,
    maxFractionDigits: minorDigits(format.currency),
  });
  if (!parsed.ok) throw new SourceFailure(`the amount cannot be read: ${parsed.reason}`);
  return toMinor(parsed.decimal, format, false);
}

/** The number of contributors from a text such as "50 123 participants". */
export function contributorsFromText(text: string): number {
  const parsed = parseLocaleNumber(text, { integer: true });
  if (!parsed.ok) throw new SourceFailure(`the contributors cannot be read: ${parsed.reason}`);
  const count = Number(parsed.decimal);
  if (!Number.isSafeInteger(count)) throw new SourceFailure(`the contributors figure ${parsed.decimal} is too large`);
  return count;
}

/** The amount in minor units from a JSON value: a number, or a string read like page text. */
export function amountFromJson(value: unknown, format: FigureFormat): number {
  if (typeof value === 'string') {
    return format.amountIn === 'minor' ? wholeFromJson(value.trim(), 'amount') : amountFromText(value, format);
  }
  if (typeof value !== 'number') throw new SourceFailure(`the amount is ${describeJsonType(value)}, not a number`);
  if (format.amountIn === 'minor') return wholeFromJson(value, 'amount');
  return toMinor(value, format, true);
}

/** The number of contributors from a JSON value: a whole number or a digit string. */
export function contributorsFromJson(value: unknown): number {
  return wholeFromJson(typeof value === 'string' ? value.trim() : value, 'contributors');
}

function wholeFromJson(value: unknown, figure: string): number {
  const count = typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value;
  if (typeof count !== 'number') throw new SourceFailure(`the ${figure} is ${describeJsonType(value)}, not a whole number`);
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new SourceFailure(`the ${figure} ${count} is not a whole number from 0 to ${Number.MAX_SAFE_INTEGER}`);
  }
  return count;
}

/** Floats from an API are rounded to the minor unit; figures from text must be exact. */
function toMinor(value: number | string, format: FigureFormat, round: boolean): number {
  const parsed = majorToMinor(value, format.currency, { round });
  if (!parsed.ok) throw new SourceFailure(`the amount ${String(value)} ${parsed.reason}`);
  return parsed.minor;
}

function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.slice(0, 40))}`;
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
