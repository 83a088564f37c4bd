import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../server/sources/backoff.js';
import { recogniseChallenge } from '../../server/sources/challenge-page.js';
import { resolvePointer } from '../../server/sources/json-pointer.js';
import { decimalSeparatorOf, parseLocaleNumber } from '../../server/sources/locale-number.js';
import { amountFromJson, amountFromText, contributorsFromText } from '../../server/sources/read-figures.js';

describe('locale-aware numbers', () => {
  it.each([
    ['1 400 000,50 €', '1400000.50'],
    ['1\u00a0400\u00a0000,50\u00a0€', '1400000.50'],
    ['1\u202f400\u202f000,50\u202f€', '1400000.50'],
    ['€1,400,000.50', '1400000.50'],
    ['1.400.000,50 EUR', '1400000.50'],
    ["CHF 1'400'000.50", '1400000.50'],
    ['1’400’000.50', '1400000.50'],
    ['Collecté : 12 345 €', '12345'],
    ['1.400', '1400'],
    ['1,400', '1400'],
    ['1,5', '1.5'],
    ['0,07 €', '0.07'],
    ['00012', '12'],
  ])('reads %j as %s', (text, decimal) => {
    expect(parseLocaleNumber(text)).toEqual({ ok: true, decimal });
  });

  it.each([
    ['1,400', ',', '1.400'],
    ['1.400', ',', '1400'],
    ['1 400,5', ',', '1400.5'],
  ])('reads %j with decimal separator %j as %s', (text, decimalSeparator, decimal) => {
    expect(parseLocaleNumber(text, { decimalSeparator: decimalSeparator as ',' })).toEqual({ ok: true, decimal });
  });

  it.each([
    ['', /no number/],
    ['bientôt', /no number/],
    ['1 400 000 € sur 2 000 000 €', /several numbers/],
    ['-1 400 €', /is negative/],
    ['\u22121 400 €', /is negative/],
    ['1,4 M€', /abbreviated/],
    ['12k€', /abbreviated/],
    ['1,4 million', /abbreviated/],
    ['1,40,00', /digit groups/],
    ['1.400,000.50', /mixed up/],
    ['14 00', /digit groups/],
  ])('refuses %j', (text, reason) => {
    const parsed = parseLocaleNumber(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });

  it('refuses a separator that may mean thousands or decimals when three fraction digits are possible', () => {
    expect(parseLocaleNumber('1,400', { maxFractionDigits: 3 })).toMatchObject({ ok: false, reason: /set the pot's locale/ });
    expect(parseLocaleNumber('1,400.500', { maxFractionDigits: 3 })).toEqual({ ok: true, decimal: '1400.500' });
  });

  it('refuses a separator used twice when it is the page locale\'s decimal separator', () => {
    expect(parseLocaleNumber('1,400,000.50', { decimalSeparator: ',' })).toMatchObject({ ok: false });
  });

  it.each([
    ['50 123 participants', '50123'],
    ['50,123', '50123'],
    ['50.123 Teilnehmer', '50123'],
    ['1.234,00', '1234'],
    ['7', '7'],
  ])('reads the count %j as %s', (text, decimal) => {
    expect(parseLocaleNumber(text, { integer: true })).toEqual({ ok: true, decimal });
  });

  it('refuses a fractional count', () => {
    expect(parseLocaleNumber('12,5 participants', { integer: true })).toMatchObject({ ok: false, reason: /not a whole number/ });
  });

  it('knows the decimal separator of a locale', () => {
    expect([decimalSeparatorOf('fr-FR'), decimalSeparatorOf('de-CH'), decimalSeparatorOf('en-GB')]).toEqual([',', '.', '.']);
  });
});

describe('figures in minor units', () => {
  it('reads amounts exactly, rounding only what a JSON float adds', () => {
    expect(amountFromText('1 400 000,50 €', { currency: 'EUR' })).toBe(140000050);
    expect(amountFromText('¥1,400,000', { currency: 'JPY' })).toBe(1400000);
    expect(amountFromJson(0.1 + 0.2, { currency: 'EUR' })).toBe(30);
    expect(amountFromJson('1.400.000,50', { currency: 'EUR', locale: 'de-DE' })).toBe(140000050);
    expect(amountFromJson(1250, { currency: 'EUR', amountIn: 'minor' })).toBe(1250);
    expect(() => amountFromJson(12.5, { currency: 'EUR', amountIn: 'minor' })).toThrow(/not a whole number/);
    expect(() => amountFromText('12,345 €', { currency: 'EUR', locale: 'fr-FR' })).toThrow(/more than 2 decimal places/);
    expect(() => amountFromJson({ value: 3 }, { currency: 'EUR' })).toThrow(/the amount is an object, not a number/);
    expect(contributorsFromText('50 123 participants')).toBe(50123);
  });
});

describe('JSON Pointer (RFC 6901)', () => {
  const document = {
    foo: ['bar', 'baz'],
    '': 0,
    'a/b': 1,
    'm~n': 8,
    data: { amount: 12.5, nothing: null },
  };

  it.each([
    ['', document],
    ['/foo', ['bar', 'baz']],
    ['/foo/0', 'bar'],
    ['/', 0],
    ['/a~1b', 1],
    ['/m~0n', 8],
    ['/data/amount', 12.5],
    ['/data/nothing', null],
  ])('resolves %j', (pointer, value) => {
    expect(resolvePointer(document, pointer)).toEqual({ found: true, value });
  });

  it.each([
    ['/data/total', '/data/total'],
    ['/foo/2', '/foo/2'],
    ['/foo/01', '/foo/01'],
    ['/foo/-', '/foo/-'],
    ['/data/amount/x', '/data/amount/x'],
    ['/toString', '/toString'],
  ])('says where %j leads nowhere', (pointer, missing) => {
    expect(resolvePointer(document, pointer)).toEqual({ found: false, missing });
  });
});

describe('backoff', () => {
  it('doubles the wait per failure, between half and all of it, up to the cap', () => {
    expect(backoffDelay(0, 1000, 60_000, () => 0.5)).toBe(1000);
    expect([1, 2, 3].map((failures) => backoffDelay(failures, 1000, 60_000, () => 0))).toEqual([1000, 2000, 4000]);
    expect([1, 2, 3].map((failures) => backoffDelay(failures, 1000, 60_000, () => 1))).toEqual([2000, 4000, 8000]);
    expect(backoffDelay(30, 1000, 60_000, () => 1)).toBe(60_000);
    expect(backoffDelay(1000, 1000, 60_000, () => 0)).toBe(30_000);
  });
});

describe('challenge pages', () => {
  const none = new Headers();

  it.each([
    ['<html><head><title>Just a moment...</title></head>', /Cloudflare challenge/],
    ['<script>window._cf_chl_opt={}</script>', /Cloudflare challenge/],
    ['<title>Attention Required! | Cloudflare</title>', /Cloudflare block/],
    ['<title>DDoS-Guard</title>', /DDoS-Guard/],
    ['<title>Access Denied</title><p>Reference #18.2f</p>', /Akamai/],
  ])('recognises %j', (html, name) => {
    expect(recogniseChallenge(html, none)).toMatch(name);
  });

  it('recognises the cf-mitigated header', () => {
    expect(recogniseChallenge('{}', new Headers({ 'cf-mitigated': 'challenge' }))).toMatch(/Cloudflare/);
  });

  it('does not mistake a normal page that loads a protection script for a challenge', () => {
    const page = '<html><head><title>Cagnotte</title><script src="/cdn-cgi/challenge-platform/scripts/jsd/main.js"></script></head></html>';
    expect(recogniseChallenge(page, none)).toBeUndefined();
  });
});
