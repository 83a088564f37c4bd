import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { buildOEmbed } from '../../server/embed/oembed.js';
import { parsePotUrl } from '../../server/embed/pot-url.js';
import { EMBED_DEFAULTS } from '../../shared/embed-options.js';

describe('pot URLs', () => {
  it('accepts our pot pages and embeds, with their query', () => {
    expect(parsePotUrl('https://potwatch.example/pots/police-2019', 'potwatch.example')).toMatchObject({
      ok: true,
      origin: 'https://potwatch.example',
      potId: 'police-2019',
    });
    const embed = parsePotUrl('http://127.0.0.1:3000/embed/alpha/?theme=dark', '127.0.0.1:3000');
    expect(embed.ok && embed.query.get('theme')).toBe('dark');
    expect(parsePotUrl('https://POTWATCH.example:443/pots/alpha', 'potwatch.example').ok).toBe(true);
  });

  it.each([
    ['not a url', /absolute URL/],
    ['ftp://potwatch.example/pots/alpha', /http/],
    ['https://evil.example/pots/alpha', /pot page of potwatch\.example/],
    ['https://potwatch.example/api/pots/alpha', /address of a pot page/],
    ['https://potwatch.example/pots/Bad_Id', /address of a pot page/],
    ['https://potwatch.example/', /address of a pot page/],
  ])('refuses %s', (url, message) => {
    const parsed = parsePotUrl(url, 'potwatch.example');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });
});

describe('oEmbed answer', () => {
  const request = { origin: 'https://potwatch.example', potId: 'alpha', title: 'Alpha "pot" <b>', options: EMBED_DEFAULTS };

  it('is a rich type whose html is the iframe and the host script', () => {
    const answer = buildOEmbed({ ...request, options: { ...EMBED_DEFAULTS, theme: 'dark' } });
    expect(answer).toMatchObject({ version: '1.0', type: 'rich', provider_name: 'Potwatch', title: 'Alpha "pot" <b>', width: 640, height: 520 });
    const $ = cheerio.load(answer.html);
    expect($('iframe').attr('src')).toBe('https://potwatch.example/embed/alpha?theme=dark');
    expect($('iframe').attr('title')).toBe('Alpha "pot" <b>: live chart (Potwatch)');
    expect($('iframe').attr('loading')).toBe('lazy');
    expect($('script').attr('src')).toBe('https://potwatch.example/embed.js');
    expect($('b')).toHaveLength(0);
  });

  it('fits within maxwidth and maxheight, shortening the chart, then dropping the counters', () => {
    expect(buildOEmbed({ ...request, maxWidth: 400, maxHeight: 450 })).toMatchObject({ width: 400, height: 450 });
    const shorter = cheerio.load(buildOEmbed({ ...request, maxHeight: 450 }).html)('iframe').attr('src');
    expect(shorter).toBe('https://potwatch.example/embed/alpha?height=190');
    const bare = buildOEmbed({ ...request, maxHeight: 300 });
    expect(bare.height).toBe(300);
    expect(cheerio.load(bare.html)('iframe').attr('src')).toBe('https://potwatch.example/embed/alpha?counters=0&height=190');
  });
});
