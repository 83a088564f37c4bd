export type NumberParse = { ok: true; decimal: string } | { ok: false; reason: string };

export interface NumberReading {
  /** The decimal separator the page uses, when known (from the pot's `locale`). */
  decimalSeparator?: '.' | ',' | undefined;
  /** A count of people: any separator groups thousands, a fraction is an error. */
  integer?: boolean;
  /**
   * How many fraction digits the amount may have. Without a known separator, "1,400" or
   * "1.400" (one separator, three digits after it) is read as a thousand and four hundred
   * when fewer than three fraction digits are possible, and refused as ambiguous otherwise.
   */
  maxFractionDigits?: number;
}

const APOSTROPHES = /[\u2019\u02bc']/g;
const NUMBER = /\d(?:[\d.,' ]*\d)?/g;
const ABBREVIATION = /^\s?(k|m|mio|md|bn|million|millions|milliards?|billion|thousand|mille)\b/i;

/**
 * Reads the one number in a text as a plain decimal ("1400000.50"), whatever the
 * convention it is written in: "1 400 000,50 €", "€1,400,000.50", "1.400.000,50",
 * "1'400'000.50", "50 123 participants". Anything doubtful is refused with a reason
 * rather than guessed: a stored figure has to be right.
 */
export function parseLocaleNumber(text: string, options: NumberReading = {}): NumberParse {
  const normalized = normalizeNumberText(text).replace(/ +/g, ' ');
  const tokens = [...normalized.matchAll(NUMBER)];
  const shown = JSON.stringify(text.trim().slice(0, 80));
  if (tokens.length === 0) return { ok: false, reason: `no number in ${shown}` };
  if (tokens.length > 1) return { ok: false, reason: `several numbers in ${shown}; the selector should pick one` };
  const token = tokens[0]!;
  const before = normalized.slice(0, token.index).trimEnd();
  if (before.endsWith('-')) return { ok: false, reason: `${shown} is negative` };
  if (ABBREVIATION.test(normalized.slice(token.index + token[0].length))) {
    return { ok: false, reason: `${shown} is abbreviated; the full figure is needed` };
  }
  const number = token[0].trim();
  const decimal = findDecimalSeparator(number, options);
  if (!decimal.ok) return { ok: false, reason: `${shown}: ${decimal.reason}` };
  const [whole, fraction] = decimal.at === -1 ? [number, ''] : [number.slice(0, decimal.at), number.slice(decimal.at + 1)];
  if (!/^\d+$/.test(fraction) && fraction !== '') return { ok: false, reason: `${shown} has an unreadable fraction` };
  const digits = ungroup(whole);
  if (digits === undefined) return { ok: false, reason: `${shown} has digit groups that do not read as one number` };
  if (options.integer && /[^0]/.test(fraction)) return { ok: false, reason: `${shown} is not a whole number` };
  const canonical = stripLeadingZeros(digits);
  return { ok: true, decimal: fraction && !options.integer ? `${canonical}.${fraction}` : canonical };
}

/**
 * The text with every kind of space made a plain one and every apostrophe a straight one,
 * character for character (so that positions in it are positions in `text`).
 */
export function normalizeNumberText(text: string): string {
  // Every space a page may put between digit groups, including the no-break ones.
  return text.replace(/[\s\u00a0\u2007\u2009\u202f]/g, ' ').replace(APOSTROPHES, "'").replace(/\u2212/g, '-');
}

/** Where the numbers are in a text normalised by `normalizeNumberText` ("1 400 000,50", "50 123"). */
export function numberSpans(normalized: string): Array<{ index: number; text: string }> {
  return [...normalized.matchAll(NUMBER)].map((match) => ({ index: match.index, text: match[0] }));
}

/** Whether the words right after a number abbreviate it ("12,3 k", "1,4 million"). */
export function isAbbreviated(after: string): boolean {
  return ABBREVIATION.test(after);
}

/** The decimal separator a locale writes ("," for fr-FR, "." for en-US). */
export function decimalSeparatorOf(locale: string): '.' | ',' {
  const part = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal');
  return part?.value === ',' ? ',' : '.';
}

type SeparatorFind = { ok: true; at: number } | { ok: false; reason: string };

/** Where the decimal separator is in `number`, or -1 when it has none. */
function findDecimalSeparator(number: string, options: NumberReading): SeparatorFind {
  const dots = countOf(number, '.');
  const commas = countOf(number, ',');
  if (options.integer) {
    if (dots + commas === 0) return { ok: true, at: -1 };
    const mark = number.search(/[.,]/);
    const last = Math.max(number.lastIndexOf('.'), number.lastIndexOf(','));
    // One mark followed by anything but a group of three digits is a fraction.
    if (dots + commas === 1 && !/^\d{3}$/.test(number.slice(mark + 1))) return { ok: true, at: mark };
    return dots > 0 && commas > 0 ? { ok: true, at: last } : { ok: true, at: -1 };
  }
  if (options.decimalSeparator) {
    const mark = options.decimalSeparator;
    const count = countOf(number, mark);
    if (count > 1) return { ok: false, reason: `"${mark}" is this page's decimal separator but appears ${count} times` };
    return { ok: true, at: number.indexOf(mark) };
  }
  if (dots > 0 && commas > 0) {
    const last = Math.max(number.lastIndexOf('.'), number.lastIndexOf(','));
    const mark = number[last]!;
    if (countOf(number, mark) > 1) return { ok: false, reason: 'its separators are mixed up' };
    return { ok: true, at: last };
  }
  const mark = dots > 0 ? '.' : commas > 0 ? ',' : undefined;
  if (!mark) return { ok: true, at: -1 };
  if (countOf(number, mark) > 1) return { ok: true, at: -1 };
  const at = number.indexOf(mark);
  const after = number.slice(at + 1);
  if (!/^\d{3}$/.test(after)) return { ok: true, at };
  if ((options.maxFractionDigits ?? 2) < 3) return { ok: true, at: -1 };
  return { ok: false, reason: `"${mark}" may separate thousands or decimals here; set the pot's locale` };
}

/** Digits of a whole part written with one kind of group separator, or undefined. */
function ungroup(whole: string): string | undefined {
  const separators = new Set(whole.replace(/\d/g, ''));
  if (separators.size === 0) return whole;
  if (separators.size > 1) return undefined;
  const [first, ...rest] = whole.split([...separators][0]!);
  if (!/^\d{1,3}$/.test(first!) || !rest.every((group) => /^\d{3}$/.test(group))) return undefined;
  return [first, ...rest].join('');
}

function countOf(text: string, char: string): number {
  let count = 0;
  for (const c of text) if (c === char) count++;
  return count;
}

function stripLeadingZeros(digits: string): string {
  return digits.replace(/^0+(?=\d)/, '');
}
