import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postReadings, startTestServer, webhookPot, type TestServer } from '../helpers/server.js';

const T0 = Date.UTC(2019, 0, 8, 9, 0);
const HTML = { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
const JSON_ACCEPT = { Accept: 'application/json' };

describe('embed, oEmbed and page headers over HTTP', () => {
  let server: TestServer;
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers });

  beforeAll(async () => {
    server = await startTestServer({
      pots: [webhookPot('alpha', { title: 'Alpha <b>pot</b> & co', platform: 'Leetchi' })],
    });
    await postReadings(server.url, 'alpha', [
      { at: T0, amount: 100, contributors: 2 },
      { at: T0 + 3_600_000, amount: 2500, contributors: 40 },
    ]);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  describe('who may frame what', () => {
    it.each(['/embed/alpha', '/embed/alpha?theme=dark&lang=fr&childId=chart-1&initialWidth=640&parentUrl=https%3A%2F%2Fnews.example%2F'])(
      'lets any site frame %s',
      async (path) => {
        const response = await get(path, HTML);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-security-policy')).toContain('frame-ancestors *');
        expect(response.headers.get('x-frame-options')).toBeNull();
        expect(response.headers.get('cache-control')).toBe('public, max-age=10, stale-while-revalidate=60');
      },
    );

    it.each(['/', '/pots/alpha', '/pots/nope', '/api/pots', '/healthz', '/embed.js', '/oembed?format=xml', '/no-such-page', '/favicon.svg'])(
      'lets only Potwatch frame %s',
      async (path) => {
        const response = await get(path, HTML);
        expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
        expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      },
    );
  });

  describe('caching and sharing', () => {
    it('caches every asset the embed page loads as immutable', async () => {
      const html = await (await get('/embed/alpha', HTML)).text();
      const $ = cheerio.load(html);
      const assets = [...$('script[src]').map((_, e) => $(e).attr('src')).get(), ...$('link[href]:not([rel=expect]):not([rel=icon])').map((_, e) => $(e).attr('href')).get()];
      expect(assets.length).toBeGreaterThanOrEqual(2);
      for (const asset of assets) {
        expect(asset).toMatch(/^\/assets\//);
        const response = await get(asset);
        expect(response.status, asset).toBe(200);
        expect(response.headers.get('cache-control'), asset).toBe('public, max-age=31536000, immutable');
      }
    });

    it('serves /embed.js as a script other sites may load, cacheable and revalidated by ETag', async () => {
      const response = await get('/embed.js');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('cache-control')).toBe('public, max-age=3600, stale-while-revalidate=86400');
      const script = await response.text();
      expect(script.length).toBeLessThan(4000);
      expect(script).not.toMatch(/^\s*(import|export)\b/m);
      const etag = response.headers.get('etag')!;
      // As a browser revalidates (fetch would otherwise add "Cache-Control: no-cache").
      expect((await get('/embed.js', { 'If-None-Match': etag, 'Cache-Control': 'max-age=0' })).status).toBe(304);
    });

    it('sends the compressed twin a browser accepts, and the plain file to others', async () => {
      const html = await (await get('/embed/alpha', HTML)).text();
      const script = cheerio.load(html)('script[src]').attr('src')!;
      const plain = await get(script, { 'Accept-Encoding': 'identity' });
      expect(plain.headers.get('content-encoding')).toBeNull();
      expect(plain.headers.get('vary')).toMatch(/Accept-Encoding/i);
      const text = await plain.text();
      for (const [accept, encoding] of [['br, gzip', 'br'], ['gzip', 'gzip']] as const) {
        const response = await get(script, { 'Accept-Encoding': accept });
        expect(response.headers.get('content-encoding')).toBe(encoding);
        expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
        expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
        expect(Number(response.headers.get('content-length'))).toBeLessThan(text.length / 2);
        expect(await response.text()).toBe(text);
      }
      const hostScript = await get('/embed.js', { 'Accept-Encoding': 'br' });
      expect(hostScript.headers.get('content-encoding')).toBe('br');
      expect(hostScript.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect(hostScript.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    });

    it('keeps the dashboard’s own resources to itself', async () => {
      expect((await get('/api/pots')).headers.get('cross-origin-resource-policy')).toBe('same-origin');
    });
  });

  describe('embed options', () => {
    it('refuses a bad option with a readable page naming it, in a frame', async () => {
      const response = await get('/embed/alpha?accent=blue', HTML);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await response.text()).toContain('accent must be a hex colour such as #1d4ed8');
    });

    it.each([
      ['theme=sepia', 'theme'],
      ['lang=de', 'lang'],
      ['range=7d', 'range'],
      ['counters=no', 'counters'],
      ['title=yes', 'title'],
      ['height=5', 'height'],
      ['accent=%23ggg', 'accent'],
      ['tz=Europe%2FAtlantis', 'tz'],
      ['theme=dark&theme=light', 'theme'],
    ])('answers %s with 400 naming %s, as JSON when asked', async (query, field) => {
      const response = await get(`/embed/alpha?${query}`, JSON_ACCEPT);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'invalid_option', field } });
    });

    it('answers 404 for a pot that is not tracked', async () => {
      const page = await get('/embed/nope', HTML);
      expect(page.status).toBe(404);
      expect(await page.text()).toContain('there is no pot');
      expect(await (await get('/embed/nope', JSON_ACCEPT)).json()).toMatchObject({ error: { code: 'pot_not_found' } });
    });
  });

  describe('oEmbed', () => {
    const oembed = (query: string) => get(`/oembed?${query}`);
    const potUrl = () => `${server.url}/pots/alpha`;

    it('answers a pot page URL with a rich iframe embed', async () => {
      const response = await oembed(`url=${encodeURIComponent(potUrl())}&format=json&maxwidth=500`);
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('cache-control')).toBe('public, max-age=300');
      const body = await response.json();
      expect(body).toMatchObject({
        version: '1.0',
        type: 'rich',
        provider_name: 'Potwatch',
        provider_url: `${server.url}/`,
        title: 'Alpha <b>pot</b> & co',
        width: 500,
        height: 520,
      });
      const $ = cheerio.load(body.html);
      expect($('iframe').attr('src')).toBe(`${server.url}/embed/alpha`);
      expect($('b')).toHaveLength(0);
    });

    it('keeps the options of an embed URL', async () => {
      const url = `${server.url}/embed/alpha?theme=dark&lang=fr`;
      const body = await (await oembed(`url=${encodeURIComponent(url)}`)).json();
      expect(cheerio.load(body.html)('iframe').attr('src')).toBe(`${server.url}/embed/alpha?theme=dark&lang=fr`);
    });

    it.each([
      ['format=xml&url=x', 501, 'format'],
      ['', 400, 'url'],
      ['url=nonsense', 400, 'url'],
      ['url=https%3A%2F%2Fevil.example%2Fpots%2Falpha', 400, 'url'],
      ['url=POT&maxwidth=wide', 400, 'maxwidth'],
      ['url=POT&maxheight=0', 400, 'maxheight'],
      ['url=EMBED%3Ftheme%3Dneon', 400, 'url'],
    ])('answers %s with %i naming %s', async (query, status, field) => {
      const response = await oembed(
        query.replace('POT', encodeURIComponent(potUrl())).replace('EMBED', encodeURIComponent(`${server.url}/embed/alpha`)),
      );
      expect(response.status).toBe(status);
      expect(await response.json()).toMatchObject({ error: { field } });
    });

    it('answers 404 for a pot that is not tracked', async () => {
      const response = await oembed(`url=${encodeURIComponent(`${server.url}/pots/nope`)}`);
      expect(response.status).toBe(404);
    });

    it('is discoverable from the pot page, by header and by <link>', async () => {
      const response = await get('/pots/alpha', HTML);
      const header = response.headers.get('link')!;
      expect(header).toMatch(/rel="alternate"; type="application\/json\+oembed"$/);
      const $ = cheerio.load(await response.text());
      const link = $('link[rel="alternate"][type="application/json+oembed"]');
      expect(link.attr('title')).toBe('Alpha <b>pot</b> & co');
      expect($('title').text()).toBe('Alpha <b>pot</b> & co · Potwatch');
      expect(header).toBe(`<${link.attr('href')}>; rel="alternate"; type="application/json+oembed"`);
      const discovered = await fetch(link.attr('href')!);
      expect((await discovered.json()).type).toBe('rich');
      expect((await get('/pots/nope', HTML)).headers.get('link')).toBeNull();
    });
  });

  describe('chart.svg', () => {
    it('draws the current chart as an image any site may show, cached briefly', async () => {
      const response = await get('/embed/alpha/chart.svg?theme=dark&lang=fr&tz=Europe%2FParis');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('public, max-age=60');
      expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
      const $ = cheerio.load(await response.text(), { xml: true });
      expect($('svg > title').text()).toMatch(/^Alpha <b>pot<\/b> & co : 2\s500\s€ collectés auprès de 40 participants$/);
      expect($('polyline')).toHaveLength(2);
    });

    it.each([
      ['accent=red', 'accent'],
      ['width=10', 'width'],
      ['height=big', 'height'],
    ])('answers %s with 400 naming %s', async (query, field) => {
      const response = await get(`/embed/alpha/chart.svg?${query}`);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { field } });
    });
  });
});
