import { _adapters, type DateAdapter } from 'chart.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intlDateAdapter, wallClock, type IntlAdapterOptions } from '../../client/src/lib/intl-date-adapter.js';

_adapters._date.override(intlDateAdapter);
const adapter = (options: IntlAdapterOptions) => new _adapters._date(options) as DateAdapter<IntlAdapterOptions>;
const utc = (...parts: [number, number, number?, number?, number?]) => Date.UTC(...parts);

describe('Intl date adapter for chart.js', () => {
  const paris = adapter({ locale: 'en-GB', timeZone: 'Europe/Paris' });

  it('formats ticks and tooltips in the locale and time zone asked for', () => {
    const at = utc(2019, 0, 10, 2, 14);
    expect(paris.format(at, 'hour')).toBe('03:14');
    expect(paris.format(at, 'day')).toBe('10 Jan');
    expect(paris.format(at, 'datetime')).toBe('10 Jan 2019, 03:14');
    expect(adapter({ locale: 'fr-FR', timeZone: 'UTC' }).format(at, 'month')).toBe('janv. 2019');
    expect(Object.keys(paris.formats())).toContain('datetime');
  });

  it('finds the start of a day, week, month and year on the local calendar', () => {
    const at = utc(2019, 0, 10, 2, 14);
    expect(paris.startOf(at, 'day')).toBe(utc(2019, 0, 9, 23));
    expect(paris.startOf(at, 'week')).toBe(utc(2019, 0, 5, 23));
    expect(paris.startOf(at, 'isoWeek', true)).toBe(utc(2019, 0, 6, 23));
    expect(paris.startOf(at, 'month')).toBe(utc(2018, 11, 31, 23));
    expect(paris.startOf(at, 'quarter')).toBe(utc(2018, 11, 31, 23));
    expect(paris.startOf(at, 'year')).toBe(utc(2018, 11, 31, 23));
    expect(paris.endOf(at, 'day')).toBe(utc(2019, 0, 10, 23) - 1);
  });

  it('counts hours on the wall clock where the zone is off by half an hour', () => {
    const kolkata = adapter({ timeZone: 'Asia/Kolkata' });
    expect(kolkata.startOf(utc(2019, 0, 10, 2, 14), 'hour')).toBe(utc(2019, 0, 10, 1, 30));
  });

  it('keeps days aligned to midnight across a daylight-saving change', () => {
    const start = paris.startOf(utc(2019, 2, 31, 12), 'day');
    expect(start).toBe(utc(2019, 2, 30, 23));
    const next = paris.add(start, 1, 'day');
    expect(next).toBe(utc(2019, 2, 31, 22));
    expect(paris.diff(next, start, 'day')).toBe(1);
    expect(paris.diff(next, start, 'hour')).toBe(23);
  });

  it('adds months without running past the end of a short month', () => {
    const inUtc = adapter({ timeZone: 'UTC' });
    expect(inUtc.add(utc(2019, 0, 31), 1, 'month')).toBe(utc(2019, 1, 28));
    expect(inUtc.add(utc(2019, 0, 31), 1, 'quarter')).toBe(utc(2019, 3, 30));
    expect(inUtc.add(utc(2020, 1, 29), 1, 'year')).toBe(utc(2021, 1, 28));
    expect(inUtc.diff(utc(2019, 1, 28), utc(2019, 0, 31), 'month')).toBe(0);
    expect(inUtc.diff(utc(2019, 1, 15), utc(2019, 0, 15), 'month')).toBe(1);
    expect(inUtc.diff(utc(2021, 0, 1), utc(2019, 5, 1), 'year')).toBe(1);
  });

  it('parses numbers, dates and ISO text, and nothing else', () => {
    expect(paris.parse(1234)).toBe(1234);
    expect(paris.parse(new Date(5678))).toBe(5678);
    expect(paris.parse('2019-01-10T02:14:00Z')).toBe(utc(2019, 0, 10, 2, 14));
    expect(paris.parse('soon')).toBeNull();
    expect(paris.parse(null)).toBeNull();
  });

  it('starts a day where clocks skip midnight at the first minute that exists', () => {
    const saoPaulo = adapter({ timeZone: 'America/Sao_Paulo' });
    expect(saoPaulo.startOf(utc(2018, 10, 4, 12), 'day')).toBe(utc(2018, 10, 4, 3));
  });

  it('always finds the first instant of the local day and the last one', () => {
    const zones = ['UTC', 'Europe/Paris', 'America/New_York', 'America/Sao_Paulo', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham'];
    const dayOf = (time: number, timeZone: string) => {
      const { year, month, day } = wallClock(time, timeZone);
      return `${year}-${month}-${day}`;
    };
    fc.assert(
      fc.property(fc.integer({ min: utc(2000, 0, 1), max: utc(2040, 0, 1) }), fc.constantFrom(...zones), (at, timeZone) => {
        const zoned = adapter({ timeZone });
        const start = zoned.startOf(at, 'day');
        const next = zoned.endOf(at, 'day') + 1;
        expect(start).toBeLessThanOrEqual(at);
        expect(next).toBeGreaterThan(at);
        expect(dayOf(start, timeZone)).toBe(dayOf(at, timeZone));
        expect(dayOf(start - 1, timeZone)).not.toBe(dayOf(at, timeZone));
        expect(dayOf(next - 1, timeZone)).toBe(dayOf(at, timeZone));
        expect(dayOf(next, timeZone)).not.toBe(dayOf(at, timeZone));
      }),
      {
        numRuns: 300,
        examples: [
          [utc(2018, 10, 3, 12), 'America/Sao_Paulo'],
          [utc(2018, 10, 4, 12), 'America/Sao_Paulo'],
          [utc(2019, 2, 31, 0, 30), 'Europe/Paris'],
          [utc(2015, 3, 4, 12), 'Australia/Lord_Howe'],
        ],
      },
    );
  });
});
