const digitsCache = new Map<string, number>();

/** Number of minor-unit digits of an ISO 4217 currency (EUR 2, JPY 0, KWD 3). */
export function minorDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits ?? 2;
    digitsCache.set(currency, digits);
  }
  return digits;
}

export function isKnownCurrency(currency: string): boolean {
  if (!/^[A-Z]{3}$/.test(currency)) return false;
  try {
    new Intl.NumberFormat('en', { style: 'currency', currency });
    return true;
  } catch {
    return false;
  }
}

export type MinorParse = { ok: true; minor: number } | { ok: false; reason: string };

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * Converts an amount in major units (a JSON number or a plain decimal string such as
 * "812345.50") to an exact integer of minor units. Decimal strings are parsed digit by
 * digit so that no binary floating-point error creeps in.
 * With `round`, extra fraction digits are rounded half-up instead of rejected (for
 * sources that serialise money as floats).
 */
export function majorToMinor(
  value: number | string,
  currency: string,
  options: { round?: boolean } = {},
): MinorParse {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { ok: false, reason: 'must be a finite number' };
    if (value < 0) return { ok: false, reason: 'must not be negative' };
    if (value > Number.MAX_SAFE_INTEGER) return { ok: false, reason: 'is too large' };
    text = plainDecimal(value);
  } else {
    text = value.trim();
  }
  const match = DECIMAL.exec(text);
  if (!match) {
    return {
      ok: false,
      reason: text.startsWith('-') ? 'must not be negative' : 'must be a decimal number such as 1234.50',
    };
  }
  const digits = minorDigits(currency);
  const whole = match[1]!;
  let fraction = match[2] ?? '';
  let roundUp = false;
  if (fraction.length > digits) {
    if (!options.round && /[^0]/.test(fraction.slice(digits))) {
      return { ok: false, reason: `has more than ${digits} decimal places for ${currency}` };
    }
    roundUp = Number(fraction[digits]) >= 5;
    fraction = fraction.slice(0, digits);
  }
  const minorText = whole + fraction.padEnd(digits, '0');
  const minor = Number(minorText) + (roundUp ? 1 : 0);
  if (!Number.isSafeInteger(minor)) return { ok: false, reason: 'is too large' };
  return { ok: true, minor };
}

/** Decimal notation of a finite non-negative number, without exponent. */
function plainDecimal(value: number): string {
  const text = String(value);
  if (!/e/i.test(text)) return text;
  return value.toFixed(20).replace(/\.?0+$/, '');
}

export function minorToMajor(minor: number, currency: string): number {
  return minor / 10 ** minorDigits(currency);
}

/** Exact decimal text of a minor amount in major units, e.g. 81234550 EUR -> "812345.50". */
export function minorToDecimalString(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return String(minor);
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  const sign = minor < 0 ? '-' : '';
  return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

const formatterCache = new Map<string, Intl.NumberFormat>();

export function formatMoney(
  minor: number,
  currency: string,
  locale: string,
  options: { compact?: boolean; wholeUnits?: boolean } = {},
): string {
  const key = `${locale}|${currency}|${options.compact ? 'c' : ''}${options.wholeUnits ? 'w' : ''}`;
  let formatter = formatterCache.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      ...(options.compact ? { notation: 'compact', maximumFractionDigits: 1 } : {}),
      ...(options.wholeUnits && !options.compact ? { maximumFractionDigits: 0 } : {}),
    });
    formatterCache.set(key, formatter);
  }
  return formatter.format(minorToMajor(minor, currency));
}
