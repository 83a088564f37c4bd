import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { majorToMinor } from '../../shared/money.js';
import { parseInstant } from '../../shared/time.js';
import { resolvePointer } from '../../server/sources/json-pointer.js';
import { decimalSeparatorOf, parseLocaleNumber } from '../../server/sources/locale-number.js';
import { amountFromJson, amountFromText, contributorsFromJson, contributorsFromText } from '../../server/sources/read-figures.js';
import { SourceFailure } from '../../server/sources/source-failure.js';
import { propertyRuns, recordFigures } from '../helpers/soak.js';
import { expectPrototypesUntouched, nastyJson, nastyKey, nastyString } from './hostile.js';

const LOCALES = ['en-US', 'en-GB', 'fr-FR', 'fr-CH', 'de-DE', 'de-CH', 'it-IT', 'es-ES', 'nl-NL', 'pt-BR', 'pl-PL', 'sv-SE', 'en-IN', 'ja-JP'];

/** Runs `read`; a refusal must be a SourceFailure, an answer a whole number from 0 to MAX_SAFE_INTEGER. */
function expectFigureOrRefusal(read: () => number): void {
  let figure: number;
  try {
    figure = read();
  } catch (error) {
    expect(error).toBeInstanceOf(SourceFailure);
    return;
  }
  expect(Number.isSafeInteger(figure) && figure >= 0).toBe(true);
}

describe('figures scraped from pages and APIs: properties', () => {
  it('reads any text as one plain decimal or refuses it with a reason, never throwing', () => {
    const runs = propertyRuns(2000);
    const text = fc.oneof(nastyString, fc.string({ unit: fc.constantFrom(...'0123456789 .,\'\u00a0\u202f€$-'), maxLength: 30 }));
    fc.assert(
      fc.property(text, fc.constantFrom(undefined, '.', ','), fc.boolean(), (value, decimalSeparator, integer) => {
        const parsed = parseLocaleNumber(value, { decimalSeparator, integer });
        if (parsed.ok) expect(parsed.decimal).toMatch(integer ? /^\d+$/ : /^\d+(\.\d+)?$/);
        else expect(parsed.reason).toEqual(expect.any(String));
        expectFigureOrRefusal(() => amountFromText(value, { currency: 'EUR' }));
        expectFigureOrRefusal(() => contributorsFromText(value));
      }),
      { numRuns: runs },
    );
    recordFigures('property', { name: 'scraped number text', runs });
  });

  it('never reads an amount written by Intl in a known locale as a different amount', () => {
    const runs = propertyRuns(2000);
    let read = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 13 }), fc.constantFrom(...LOCALES), fc.boolean(), (cents, locale, withLocale) => {
        const shown = new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' }).format(cents / 100);
        const format = { currency: 'EUR', ...(withLocale ? { locale } : {}) };
        let minor: number;
        try {
          minor = amountFromText(shown, format);
        } catch (error) {
          // Refusing a doubtful figure is allowed (Indian digit grouping, a lone "1,400"); misreading is not.
          expect(error).toBeInstanceOf(SourceFailure);
          return;
        }
        read++;
        expect(minor).toBe(cents);
        expect(decimalSeparatorOf(locale)).toMatch(/^[.,]$/);
      }),
      { numRuns: runs },
    );
    expect(read).toBeGreaterThan(runs / 2);
    recordFigures('property', { name: 'locale-formatted amounts', runs });
  });

  it('reads counts written by Intl in a known locale exactly, or refuses them', () => {
    const runs = propertyRuns(1000);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), fc.constantFrom(...LOCALES), (count, locale) => {
        const shown = `${new Intl.NumberFormat(locale).format(count)} participants`;
        try {
          expect(contributorsFromText(shown)).toBe(count);
        } catch (error) {
          expect(error).toBeInstanceOf(SourceFailure);
        }
      }),
      { numRuns: runs },
    );
    recordFigures('property', { name: 'locale-formatted counts', runs });
  });

  it('turns any JSON value into a figure or a SourceFailure', () => {
    const runs = propertyRuns(1000);
    fc.assert(
      fc.property(nastyJson, fc.constantFrom<'major' | 'minor'>('major', 'minor'), (value, amountIn) => {
        expectFigureOrRefusal(() => amountFromJson(value, { currency: 'EUR', amountIn }));
        expectFigureOrRefusal(() => contributorsFromJson(value));
      }),
      { numRuns: runs },
    );
    recordFigures('property', { name: 'JSON figure values', runs });
  });

  it('resolves any pointer in any document without throwing, and finds only own members', () => {
    const runs = propertyRuns(1000);
    const pointer = fc.array(fc.oneof(nastyKey, fc.nat(5).map(String), fc.constantFrom('~', '~0', '~1', '-', '')), { maxLength: 4 }).map(
      (tokens) => tokens.map((token) => `/${token}`).join(''),
    );
    fc.assert(
      fc.property(nastyJson, pointer, (document, path) => {
        const found = resolvePointer(document, path);
        if (!found.found) expect(path.startsWith(found.missing) || found.missing === path).toBe(true);
        for (const inherited of ['/constructor', '/__proto__', '/toString', '/hasOwnProperty', '/length/constructor']) {
          const lookup = resolvePointer({ data: {} }, `/data${inherited}`);
          expect(lookup.found).toBe(false);
        }
      }),
      { numRuns: runs },
    );
    expectPrototypesUntouched();
    recordFigures('property', { name: 'JSON pointers', runs });
  });

  it('finds the value again through the pointer built from its path (~0 and ~1 escapes included)', () => {
    const runs = propertyRuns(500);
    const key = fc.oneof(nastyKey, fc.constantFrom('a/b', 'm~n', '~1', '/', '~', ''));
    fc.assert(
      fc.property(fc.array(fc.oneof(key, fc.nat(3)), { minLength: 1, maxLength: 5 }), nastyJson, (path, leaf) => {
        let document: unknown = leaf;
        for (const step of [...path].reverse()) {
          if (typeof step === 'number') {
            const list: unknown[] = Array.from({ length: step + 1 }, () => null);
            list[step] = document;
            document = list;
          } else {
            document = Object.fromEntries([[step, document]]);
          }
        }
        const pointer = path.map((step) => `/${String(step).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
        expect(resolvePointer(document, pointer)).toEqual({ found: true, value: leaf });
      }),
      { numRuns: runs },
    );
    recordFigures('property', { name: 'JSON pointer round trip', runs });
  });

  it('parses instants and amounts from anything without throwing, into safe integers', () => {
    const runs = propertyRuns(2000);
    fc.assert(
      fc.property(fc.oneof(nastyJson, fc.double(), fc.date().map((date) => (Number.isNaN(date.getTime()) ? 'x' : date.toISOString()))), (value) => {
        const instant = parseInstant(value);
        if (instant.ok) expect(Number.isSafeInteger(instant.at) && instant.at >= 0).toBe(true);
        if (typeof value === 'number' || typeof value === 'string') {
          for (const round of [true, false]) {
            const amount = majorToMinor(value, 'EUR', { round });
            if (amount.ok) expect(Number.isSafeInteger(amount.minor) && amount.minor >= 0).toBe(true);
          }
        }
      }),
      { numRuns: runs },
    );
    recordFigures('property', { name: 'instants and amounts', runs });
  });
});
