import { describe, expect, it } from 'vitest';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { postReadings, startTestServer, webhookPot } from '../helpers/server.js';

const T0 = Date.UTC(2019, 0, 9, 18, 0);
const HOSTILE = 'Pot "<script>alert(1)</script>" & co';

const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

describe('an image and a card for every share', () => {
  it('draws the chart as a PNG, 1200×630 by default or twice that, new after each reading', async () => {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')] }));
    await postReadings(server.url, 'alpha', Array.from({ length: 60 }, (_, i) => ({ at: T0 + i * 60_000, amount: 10 + i * 3, contributors: 1 + i })));
    const answer = await fetch(`${server.url}/embed/alpha/chart.png`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('image/png');
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    const first = Buffer.from(await answer.arrayBuffer());
    expect(first.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(pngSize(first)).toEqual({ width: 1200, height: 630 });
    const sharp = Buffer.from(await (await fetch(`${server.url}/embed/alpha/chart.png?width=800&height=500&scale=2&theme=dark&lang=fr`)).arrayBuffer());
    expect(pngSize(sharp)).toEqual({ width: 1600, height: 1000 });

    const again = Buffer.from(await (await fetch(`${server.url}/embed/alpha/chart.png`)).arrayBuffer());
    expect(again.equals(first)).toBe(true);
    await postReadings(server.url, 'alpha', { at: T0 + 61 * 60_000, amount: 900, contributors: 80 });
    const after = Buffer.from(await (await fetch(`${server.url}/embed/alpha/chart.png`)).arrayBuffer());
    expect(after.equals(first)).toBe(false);

    for (const [query, field] of [['scale=3', 'scale'], ['width=10', 'width'], ['theme=pink', 'theme']]) {
      const refused = await fetch(`${server.url}/embed/alpha/chart.png?${query}`);
      expect(refused.status).toBe(400);
      expect((await refused.json()).error.field).toBe(field);
    }
  });

  it('gives pot pages and embeds Open Graph and Twitter cards pointing at the image, escaped; oEmbed offers it as thumbnail', async () => {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha', { title: HOSTILE })] }));
    await postReadings(server.url, 'alpha', { at: T0, amount: 1234.5, contributors: 42 });
    for (const path of ['/pots/alpha', '/embed/alpha?lang=en']) {
      const html = await (await fetch(`${server.url}${path}`, { headers: { 'Accept-Language': 'en' } })).text();
      const meta = (property: string) => new RegExp(`<meta (?:property|name)="${property}" content="([^"]*)"`).exec(html)?.[1];
      expect(meta('og:title'), path).toBe('Pot &#34;&#60;script&#62;alert(1)&#60;/script&#62;&#34; &#38; co');
      expect(meta('og:description'), path).toContain('raised from 42 contributors');
      expect(meta('og:image'), path).toBe(`${server.url}/embed/alpha/chart.png?lang=en`);
      expect(meta('twitter:card'), path).toBe('summary_large_image');
      expect(html).not.toContain('<script>alert(1)</script>');
    }
    const oembed = await (await fetch(`${server.url}/oembed?url=${encodeURIComponent(`${server.url}/pots/alpha`)}`)).json();
    expect(oembed).toMatchObject({ thumbnail_url: `${server.url}/embed/alpha/chart.png?lang=en`, thumbnail_width: 1200, thumbnail_height: 630 });
    const image = await fetch(oembed.thumbnail_url);
    expect(image.headers.get('content-type')).toBe('image/png');
  });
});
