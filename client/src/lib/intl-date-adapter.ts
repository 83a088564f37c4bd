import type { DateAdapter, TimeUnit } from 'chart.js';

/**
 * A chart.js date adapter on the browser's own `Intl`, in place of a date library: a few
 * hundred bytes instead of tens of kilobytes, every locale the browser speaks, and any IANA
 * time zone. Calendar arithmetic (days, months) is done on the wall-clock time of that zone.
 */
export interface IntlAdapterOptions {
  locale?: string;
  timeZone?: string;
}

type FormatKey = TimeUnit | 'datetime';

const FORMATS: Record<FormatKey, Intl.DateTimeFormatOptions> = {
  datetime: { dateStyle: 'medium', timeStyle: 'short' },
  millisecond: { hour: '2-digit', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3 },
  second: { hour: '2-digit', minute: '2-digit', second: '2-digit' },
  minute: { hour: '2-digit', minute: '2-digit' },
  hour: { hour: '2-digit', minute: '2-digit' },
  day: { day: 'numeric', month: 'short' },
  week: { day: 'numeric', month: 'short' },
  month: { month: 'short', year: 'numeric' },
  quarter: { month: 'short', year: 'numeric' },
  year: { year: 'numeric' },
};

const FIXED_MS: Partial<Record<TimeUnit, number>> = { millisecond: 1, second: 1000, minute: 60_000, hour: 3_600_000 };
const DAY_MS = 86_400_000;

/** Wall-clock fields of an instant in a time zone; `month` is 0-based like Date.UTC. */
interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string | undefined, timeZone: string | undefined, key: string, options: Intl.DateTimeFormatOptions) {
  const cacheKey = `${locale}|${timeZone}|${key}`;
  let cached = formatters.get(cacheKey);
  if (!cached) {
    cached = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    formatters.set(cacheKey, cached);
  }
  return cached;
}

export function wallClock(time: number, timeZone: string | undefined): WallClock {
  const parts = formatter('en-US', timeZone, 'parts', {
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    hourCycle: 'h23',
    era: 'short',
  }).formatToParts(time);
  const field = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  const era = parts.find((part) => part.type === 'era')?.value;
  const year = field('year');
  return {
    year: era === 'BC' ? 1 - year : year,
    month: field('month') - 1,
    day: field('day'),
    hour: field('hour'),
    minute: field('minute'),
    second: field('second'),
    millisecond: ((time % 1000) + 1000) % 1000,
  };
}

function wallAsUtc(clock: WallClock): number {
  const date = new Date(0);
  date.setUTCFullYear(clock.year, clock.month, clock.day);
  date.setUTCHours(clock.hour, clock.minute, clock.second, clock.millisecond);
  return date.getTime();
}

/**
 * The instant showing `clock` in the zone. A wall-clock time repeated when clocks go back
 * is the earlier instant; one skipped when they go forward is moved past the gap, as
 * `Date` does for local time.
 */
function fromWallClock(clock: WallClock, timeZone: string | undefined): number {
  const asUtc = wallAsUtc(clock);
  const offsetAt = (time: number) => wallAsUtc(wallClock(time, timeZone)) - time;
  const offsetBefore = offsetAt(asUtc - DAY_MS);
  const candidates = [offsetBefore, offsetAt(asUtc), offsetAt(asUtc + DAY_MS)].map((offset) => asUtc - offset);
  const exact = candidates.filter((time) => wallAsUtc(wallClock(time, timeZone)) === asUtc);
  return exact.length > 0 ? Math.min(...exact) : asUtc - offsetBefore;
}

function startOf(time: number, unit: TimeUnit | 'isoWeek', timeZone: string | undefined, weekStartsOn = 0): number {
  const fixed = FIXED_MS[unit as TimeUnit];
  if (fixed !== undefined && unit !== 'hour') return Math.floor(time / fixed) * fixed;
  const clock = wallClock(time, timeZone);
  clock.millisecond = 0;
  clock.second = 0;
  clock.minute = 0;
  if (unit === 'hour') return fromWallClock(clock, timeZone);
  clock.hour = 0;
  if (unit === 'week' || unit === 'isoWeek') {
    const weekday = new Date(wallAsUtc(clock)).getUTCDay();
    clock.day -= (weekday - weekStartsOn + 7) % 7;
  } else if (unit === 'month' || unit === 'quarter' || unit === 'year') {
    clock.day = 1;
    if (unit === 'quarter') clock.month -= clock.month % 3;
    if (unit === 'year') clock.month = 0;
  }
  return fromWallClock(clock, timeZone);
}

function add(time: number, amount: number, unit: TimeUnit, timeZone: string | undefined): number {
  const fixed = FIXED_MS[unit];
  if (fixed !== undefined) return time + amount * fixed;
  const clock = wallClock(time, timeZone);
  if (unit === 'day' || unit === 'week') {
    clock.day += amount * (unit === 'week' ? 7 : 1);
    return fromWallClock(clock, timeZone);
  }
  const months = amount * (unit === 'year' ? 12 : unit === 'quarter' ? 3 : 1);
  const target = clock.month + months;
  const lastDay = new Date(Date.UTC(2000, 0, 1)).setUTCFullYear(clock.year, target + 1, 0);
  clock.day = Math.min(clock.day, new Date(lastDay).getUTCDate());
  clock.month = target;
  return fromWallClock(clock, timeZone);
}

/** Whole `unit`s from `min` to `max`, truncated toward zero like the date libraries. */
function diff(max: number, min: number, unit: TimeUnit, timeZone: string | undefined): number {
  const fixed = FIXED_MS[unit];
  if (fixed !== undefined) return Math.trunc((max - min) / fixed);
  const later = wallClock(max, timeZone);
  const earlier = wallClock(min, timeZone);
  if (unit === 'day' || unit === 'week') {
    const days = Math.trunc((wallAsUtc(later) - wallAsUtc(earlier)) / DAY_MS);
    return unit === 'week' ? Math.trunc(days / 7) : days;
  }
  let months = (later.year - earlier.year) * 12 + later.month - earlier.month;
  const laterRest = wallAsUtc({ ...later, year: 2000, month: 0 });
  const earlierRest = wallAsUtc({ ...earlier, year: 2000, month: 0 });
  if (months > 0 && laterRest < earlierRest) months--;
  if (months < 0 && laterRest > earlierRest) months++;
  return Math.trunc(months / (unit === 'year' ? 12 : unit === 'quarter' ? 3 : 1));
}

function parse(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const time = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : Number(value);
  return Number.isFinite(time) ? time : null;
}

type AdapterThis = DateAdapter<IntlAdapterOptions>;

/** The members to give `_adapters._date.override`. */
export const intlDateAdapter: Partial<Omit<AdapterThis, 'options'>> = {
  formats() {
    return Object.fromEntries(Object.keys(FORMATS).map((key) => [key, key])) as Record<FormatKey, string>;
  },
  parse(this: AdapterThis, value: unknown) {
    return parse(value);
  },
  format(this: AdapterThis, time: number, key: string) {
    const options = FORMATS[key as FormatKey] ?? FORMATS.datetime;
    return formatter(this.options.locale, this.options.timeZone, key, options).format(time);
  },
  add(this: AdapterThis, time: number, amount: number, unit: TimeUnit) {
    return add(time, amount, unit, this.options.timeZone);
  },
  diff(this: AdapterThis, max: number, min: number, unit: TimeUnit) {
    return diff(max, min, unit, this.options.timeZone);
  },
  startOf(this: AdapterThis, time: number, unit: TimeUnit | 'isoWeek', weekday?: number | boolean) {
    const weekStartsOn = unit === 'isoWeek' ? (weekday === true ? 1 : Number(weekday ?? 1)) : 0;
    return startOf(time, unit, this.options.timeZone, weekStartsOn % 7);
  },
  endOf(this: AdapterThis, time: number, unit: TimeUnit | 'isoWeek') {
    const { timeZone } = this.options;
    const next = add(startOf(time, unit, timeZone), 1, unit === 'isoWeek' ? 'week' : unit, timeZone);
    // Snapped again: a day that began late (clocks skipping midnight) must not shift the next.
    return startOf(next, unit, timeZone) - 1;
  },
};
