import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMBED_DATA_ELEMENT_ID } from '../../shared/embed-options.js';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { postReadings, startTestServer, webhookPot, type TestServer } from '../helpers/server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const T0 = Date.UTC(2019, 0, 8, 9, 0);
const MINUTE = 60_000;
const HTML = { Accept: 'text/html' };

describe('the embed page, drawn on the server', () => {
  let server: TestServer;
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers: { ...HTML, ...headers } });
  const page = async (path: string, headers: Record<string, string> = {}) => cheerio.load(await (await get(path, headers)).text());

  beforeAll(async () => {
    server = await startTestServer({
      pots: [
        webhookPot('alpha', { title: 'Alpha </script><b>pot</b> $& co', platform: 'Leetchi', goal: 10000, goalMinor: 1000000 }),
        webhookPot('empty', { title: 'Nothing yet' }),
      ],
    });
    await postReadings(
      server.url,
      'alpha',
      Array.from({ length: 120 }, (_, i) => ({ at: T0 + i * MINUTE, amount: 100 + i * 25, contributors: 3 + i })),
    );
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('holds the chart, the counters and the credit before any script runs', async () => {
    const $ = await page('/embed/alpha?lang=en');
    expect($('html').attr('lang')).toBe('en');
    expect($('title').text()).toBe('Alpha </script><b>pot</b> $& co: live chart (Potwatch)');
    expect($('h1').text()).toBe('Alpha </script><b>pot</b> $& co');
    expect($('b')).toHaveLength(0);
    expect($('[data-testid="amount"]').text()).toBe('€3,075');
    expect($('[data-testid="contributors"]').text()).toBe('122');
    expect($('[data-testid="last-hour"]').text()).toBe('+€1,500');
    expect($('.credit').text().trim()).toBe('Data: Leetchi, via Potwatch');
    expect($('.badge').text().replace(/\s+/g, ' ').trim()).toBe('Live Last reading 8 Jan 2019, 10:59 UTC');

    // The chart as a picture in the chart's box: the curves of every point, the axes' labels.
    const still = $('[data-still-chart]');
    expect(still.closest('[role="img"]').attr('aria-label')).toBe('Amount raised and contributors over time: €3,075, 122 contributors');
    expect(still.find('polyline')).toHaveLength(2);
    expect(still.find('polyline').first().attr('points')!.split(' ')).toHaveLength(120);
    expect(still.text()).toContain('€3.5k');
    expect(still.text()).toContain('8 Jan 2019, 09:00 UTC');
    // The figures as a table, open to a reader without script too.
    expect($('details table tbody tr')).toHaveLength(12);

    // Styles come with the page, so that nothing stands between the HTML and its first paint.
    expect($('link[rel="stylesheet"]')).toHaveLength(0);
    expect($('style').text()).toContain('.still');
  });

  it('hands the page script exactly what it drew, in a data element no text can break out of', async () => {
    const response = await get('/embed/alpha?lang=en&range=1h');
    const html = await response.text();
    expect(html).not.toContain('</script><b>');
    const $ = cheerio.load(html);
    const data = JSON.parse($(`#${EMBED_DATA_ELEMENT_ID}`).text());
    expect(data.lang).toBe('en');
    expect(data.pot).toMatchObject({ id: 'alpha', title: 'Alpha </script><b>pot</b> $& co', latest: { at: T0 + 119 * MINUTE, contributors: 122 } });
    expect(data.points).toHaveLength(61);
    expect(data.points.at(-1)).toEqual([T0 + 119 * MINUTE, 307500, 122]);
  });

  it('speaks the reader’s language when the address does not say, and tells caches so', async () => {
    const french = await get('/embed/alpha', { 'Accept-Language': 'fr-FR,fr;q=0.9,en;q=0.8' });
    expect(french.headers.get('vary')).toMatch(/Accept-Language/);
    const $ = cheerio.load(await french.text());
    expect($('html').attr('lang')).toBe('fr');
    expect($('.credit').text().trim()).toBe('Données : Leetchi, via Potwatch');
    expect($('[data-testid="amount"]').text()).toMatch(/^3\s075\s€$/);
    const english = await get('/embed/alpha', { 'Accept-Language': 'de-DE,de;q=0.9' });
    expect(cheerio.load(await english.text())('html').attr('lang')).toBe('en');
    expect((await get('/embed/alpha?lang=fr')).headers.get('vary')).not.toMatch(/Accept-Language/);
  });

  it('draws the theme, accent and time zone it is asked for', async () => {
    const $ = await page('/embed/alpha?theme=dark&accent=%23e11d48&tz=Europe%2FParis&lang=en');
    expect($('html').attr('data-theme')).toBe('dark');
    expect($('[data-still-chart] polyline').first().attr('style')).toBe('stroke:#e11d48');
    expect($('.badge').text()).toContain('8 Jan 2019, 11:59');
  });

  it('says there is nothing to draw yet for a pot without readings', async () => {
    const $ = await page('/embed/empty?lang=en');
    expect($('[data-still-chart]').text()).toBe('No reading yet');
    expect($('[data-testid="amount"]').text()).toBe('—');
  });

  it('is revalidated from memory, and drawn again once a reading arrives', async () => {
    const first = await get('/embed/alpha?lang=en', { 'Accept-Encoding': 'identity' });
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(first.headers.get('content-encoding')).toBeNull();
    const compressed = await get('/embed/alpha?lang=en', { 'Accept-Encoding': 'gzip' });
    expect(compressed.headers.get('content-encoding')).toBe('gzip');
    // As a browser revalidates (fetch would otherwise add "Cache-Control: no-cache").
    const revalidate = (path: string) => get(path, { 'If-None-Match': etag, 'Cache-Control': 'max-age=0' });
    expect((await revalidate('/embed/alpha?lang=en')).status).toBe(304);
    // Options that only the page's script reads still name a page of their own.
    expect((await revalidate('/embed/alpha?lang=en&live=poll')).status).toBe(200);

    await postReadings(server.url, 'alpha', { at: T0 + 120 * MINUTE, amount: 3200, contributors: 130 });
    const changed = await revalidate('/embed/alpha?lang=en');
    expect(changed.status).toBe(200);
    expect(cheerio.load(await changed.text())('[data-testid="contributors"]').text()).toBe('130');
  });

  it('answers 503 naming the missing build when the client was never built', async () => {
    const empty = makeTempDir();
    const bare = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')], clientDir: empty.dir }));
    const response = await fetch(`${bare.url}/embed/alpha`, { headers: { Accept: 'application/json' } });
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: { code: 'client_not_built' } });
    empty.remove();
  });
});
