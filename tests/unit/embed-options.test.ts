import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EMBED_DEFAULTS,
  EMBED_LANGUAGES,
  EMBED_LIVE_MODES,
  EMBED_RANGES,
  EMBED_THEMES,
  embedQuery,
  embedSnippet,
  embedUrl,
  normalizeHexColour,
  parseEmbedOptions,
  type EmbedOptions,
  EMBED_VIEWS,
} from '../../shared/embed-options.js';
import { RATE_BUCKETS } from '../../shared/rate.js';

describe('embed options', () => {
  it('takes the defaults when nothing is given, and ignores what pym.js adds', () => {
    expect(parseEmbedOptions({})).toEqual({ ok: true, options: EMBED_DEFAULTS });
    const pym = new URLSearchParams('initialWidth=640&childId=chart-1&parentTitle=Article&parentUrl=https%3A%2F%2Fnews.example%2F');
    expect(parseEmbedOptions(pym)).toEqual({ ok: true, options: EMBED_DEFAULTS });
  });

  it('reads every option, from a query object or URLSearchParams alike', () => {
    const query = { theme: 'dark', lang: 'fr', range: '24h', counters: '0', title: '0', height: '400', accent: 'E11D48', tz: 'europe/paris', live: 'poll', annotations: '0', view: 'rate', bucket: '15m' };
    const expected: EmbedOptions = {
      theme: 'dark',
      lang: 'fr',
      range: '24h',
      counters: false,
      title: false,
      height: 400,
      accent: '#e11d48',
      tz: 'Europe/Paris',
      live: 'poll',
      annotations: false,
      view: 'rate',
      bucket: '15m',
    };
    expect(parseEmbedOptions(query)).toEqual({ ok: true, options: expected });
    expect(parseEmbedOptions(new URLSearchParams(query))).toEqual({ ok: true, options: expected });
  });

  it.each([
    ['theme', 'blue'],
    ['lang', 'de'],
    ['range', '7d'],
    ['counters', 'yes'],
    ['annotations', 'no'],
    ['view', 'bars'],
    ['bucket', '2h'],
    ['title', 'true'],
    ['height', '50'],
    ['height', '9000'],
    ['height', '300px'],
    ['accent', 'red'],
    ['accent', '#12345'],
    ['accent', 'url(javascript:alert(1))'],
    ['tz', 'Mars/Olympus_Mons'],
    ['tz', '../../etc/passwd'],
    ['tz', 'Europe/Paris<script>'],
    ['live', 'websocket'],
    ['live', '1'],
  ])('refuses %s=%s and names the option', (name, value) => {
    const parsed = parseEmbedOptions({ [name]: value });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.field).toBe(name);
      expect(parsed.message.startsWith(`${name} `)).toBe(true);
    }
  });

  it('refuses an option given twice', () => {
    expect(parseEmbedOptions({ theme: ['dark', 'light'] })).toMatchObject({ ok: false, field: 'theme', message: 'theme must be given once' });
  });

  it('keeps the time-zone name the newsroom chose among linked ones', () => {
    expect(parseEmbedOptions({ tz: 'Asia/Kolkata' })).toMatchObject({ ok: true, options: { tz: 'Asia/Kolkata' } });
    expect(parseEmbedOptions({ tz: 'utc' })).toMatchObject({ ok: true, options: { tz: 'UTC' } });
  });

  it('spells colours one way', () => {
    expect(normalizeHexColour('#ABC')).toBe('#aabbcc');
    expect(normalizeHexColour('1d4ed8')).toBe('#1d4ed8');
    expect(normalizeHexColour('#1d4ed8ff')).toBeUndefined();
  });

  it('writes only the options that differ from the defaults', () => {
    expect(embedQuery(EMBED_DEFAULTS)).toBe('');
    expect(embedUrl('https://potwatch.example', 'police-2019', { theme: 'dark', counters: false, tz: 'Europe/Paris' })).toBe(
      'https://potwatch.example/embed/police-2019?theme=dark&counters=0&tz=Europe%2FParis',
    );
  });

  it('builds the two-line snippet with data attributes, escaped', () => {
    expect(embedSnippet('https://potwatch.example', 'police-2019', { ...EMBED_DEFAULTS, lang: 'fr', accent: '#e11d48' })).toBe(
      '<div data-potwatch="police-2019" data-lang="fr" data-accent="#e11d48"></div>\n' +
        '<script src="https://potwatch.example/embed.js" async></script>',
    );
    expect(embedSnippet('https://a.example/"><script>', 'x')).not.toContain('"><script>');
  });

  it('reads back exactly what it writes', () => {
    const options = fc.record<EmbedOptions>({
      theme: fc.constantFrom(...EMBED_THEMES),
      lang: fc.constantFrom(undefined, ...EMBED_LANGUAGES),
      range: fc.constantFrom(...EMBED_RANGES),
      counters: fc.boolean(),
      title: fc.boolean(),
      height: fc.integer({ min: 120, max: 800 }),
      accent: fc.option(fc.stringMatching(/^#[0-9a-f]{6}$/), { nil: undefined }),
      tz: fc.constantFrom(undefined, 'UTC', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata'),
      live: fc.constantFrom(...EMBED_LIVE_MODES),
      annotations: fc.boolean(),
      view: fc.constantFrom(...EMBED_VIEWS),
      bucket: fc.constantFrom(...RATE_BUCKETS),
    });
    fc.assert(
      fc.property(options, (value) => {
        expect(parseEmbedOptions(new URLSearchParams(embedQuery(value)))).toEqual({ ok: true, options: value });
      }),
    );
  });
});
