export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const ISO_INSTANT =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/;

/** Latest instant accepted anywhere (year 9999), so that dates stay printable. */
const MAX_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export type InstantParse = { ok: true; at: number } | { ok: false; reason: string };

/**
 * Parses an instant given as epoch milliseconds (number or digit string) or as ISO-8601.
 * A date-time must carry its offset ("Z" or "+01:00"): a local time is ambiguous.
 */
export function parseInstant(value: unknown): InstantParse {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) return { ok: false, reason: 'must be an integer of epoch milliseconds' };
    if (value < 0 || value > MAX_INSTANT) return { ok: false, reason: 'is out of range' };
    return { ok: true, at: value };
  }
  if (typeof value !== 'string') {
    return { ok: false, reason: 'must be an ISO-8601 date-time or epoch milliseconds' };
  }
  const text = value.trim();
  if (/^\d{1,16}$/.test(text)) return parseInstant(Number(text));
  if (!ISO_INSTANT.test(text)) {
    return {
      ok: false,
      reason: 'must be an ISO-8601 date-time with an offset (e.g. 2019-01-10T02:14:00Z) or epoch milliseconds',
    };
  }
  const at = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
  if (!Number.isFinite(at) || at < 0 || at > MAX_INSTANT) return { ok: false, reason: 'is not a valid date' };
  return { ok: true, at };
}

export function toIso(at: number): string {
  return new Date(at).toISOString();
}
