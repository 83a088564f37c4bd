import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { postReadings, startTestServer, webhookPot } from '../helpers/server.js';
import { waitFor } from '../helpers/wait-for.js';

const T0 = Date.UTC(2019, 0, 8, 9, 0);
const MINUTE = 60_000;

/** A revalidation as a browser or a proxy sends it. */
const revalidate = (url: string, etag: string, headers: Record<string, string> = {}) =>
  fetch(url, { headers: { 'If-None-Match': etag, 'Cache-Control': 'max-age=0', ...headers } });

describe('answers that caches and polling readers revalidate', () => {
  it('serves the live snapshot with a strong ETag and a short public lifetime, and 304 while nothing changed', async () => {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')] }));
    const url = `${server.url}/api/pots/alpha/live`;

    const empty = await fetch(url);
    expect(empty.status).toBe(200);
    expect(await empty.json()).toEqual({ potId: 'alpha', latest: null, status: 'stale', lastReadingAt: null, reason: 'no reading yet' });

    const at = Date.now() - MINUTE;
    await postReadings(server.url, 'alpha', { at, amount: '1234.50', contributors: 40 });
    const first = await fetch(url);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(first.headers.get('cache-control')).toMatch(/^public, max-age=[12], stale-while-revalidate=\d+$/);
    expect(first.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await first.json()).toEqual({
      potId: 'alpha',
      latest: { at, amountMinor: 123450, contributors: 40 },
      status: 'live',
      lastReadingAt: at,
    });

    const unchanged = await revalidate(url, etag);
    expect(unchanged.status).toBe(304);
    expect(await unchanged.text()).toBe('');
    expect(unchanged.headers.get('etag')).toBe(etag);

    await postReadings(server.url, 'alpha', { at: at + 1000, amount: '1300', contributors: 41 });
    const changed = await revalidate(url, etag);
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect((await changed.json()).latest).toEqual({ at: at + 1000, amountMinor: 130000, contributors: 41 });

    expect(await (await fetch(`${server.url}/api/pots/nope/live`)).json()).toMatchObject({ error: { code: 'pot_not_found', field: 'id' } });
  });

  it('changes the snapshot and its ETag when a pot goes stale without a new reading', async () => {
    const server = closeAfterTest(
      await startTestServer({ pots: [webhookPot('alpha', { source: { kind: 'webhook', secret: 'test-secret-0123456789abcdef', staleAfterSeconds: 1 } })] }),
    );
    const url = `${server.url}/api/pots/alpha/live`;
    await postReadings(server.url, 'alpha', { amount: 10, contributors: 1 });
    const live = await fetch(url);
    expect((await live.json()).status).toBe('live');
    const etag = live.headers.get('etag')!;
    await waitFor(() => server.states.statusInfo('alpha').status === 'stale', 'the pot to go stale', 5000);
    const stale = await revalidate(url, etag);
    expect(stale.status).toBe(200);
    expect(await stale.json()).toMatchObject({ status: 'stale', reason: 'no new reading recently' });
  });

  it('revalidates a series from memory: a 304 needs no database at all', async () => {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')] }));
    await postReadings(server.url, 'alpha', [
      { at: T0, amount: 10, contributors: 1 },
      { at: T0 + 2 * MINUTE, amount: 30, contributors: 3 },
    ]);
    const url = `${server.url}/api/pots/alpha/series?points=100`;
    const first = await fetch(url);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[^"]+"$/);
    expect((await first.json()).points).toHaveLength(2);

    // A reading arriving late, between the two, changes the series though not its last point.
    await postReadings(server.url, 'alpha', { at: T0 + MINUTE, amount: 20, contributors: 2 });
    const withLate = await revalidate(url, etag);
    expect(withLate.status).toBe(200);
    expect((await withLate.json()).points).toEqual([
      [T0, 1000, 1],
      [T0 + MINUTE, 2000, 2],
      [T0 + 2 * MINUTE, 3000, 3],
    ]);
    const current = withLate.headers.get('etag')!;

    server.db.close();
    expect((await revalidate(url, current)).status).toBe(304);
  });

  it('names the same series by the same ETag after a restart, so readers keep what they have', async () => {
    const first = await startTestServer({ pots: [webhookPot('alpha')] });
    await postReadings(first.url, 'alpha', Array.from({ length: 10 }, (_, i) => ({ at: T0 + i * MINUTE, amount: i, contributors: i })));
    const etag = (await fetch(`${first.url}/api/pots/alpha/series`)).headers.get('etag')!;
    await first.close();
    const again = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')] }, first.databasePath));
    const revalidated = await revalidate(`${again.url}/api/pots/alpha/series`, etag);
    expect(revalidated.status).toBe(304);
  });

  it('compresses a large answer for readers that accept it, and sends the same bytes to each of them', async () => {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')] }));
    await postReadings(
      server.url,
      'alpha',
      Array.from({ length: 1000 }, (_, i) => ({ at: T0 + i * MINUTE, amount: 100 + i * 37, contributors: 3 + i })),
    );
    const url = `${server.url}/api/pots/alpha/series?points=1000`;
    const plain = await fetch(url, { headers: { 'Accept-Encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('vary')).toMatch(/Accept-Encoding/i);
    const text = await plain.text();
    expect(JSON.parse(text).points).toHaveLength(1000);

    for (const [accept, encoding] of [['gzip', 'gzip'], ['br, gzip', 'br']] as const) {
      const response = await fetch(url, { headers: { 'Accept-Encoding': accept } });
      expect(response.headers.get('content-encoding')).toBe(encoding);
      expect(Number(response.headers.get('content-length'))).toBeLessThan(text.length / 3);
      expect(await response.text()).toBe(text);
    }
    // fetch decodes for us; the raw bytes are the gzip of the very same body.
    const raw = await rawGet(url, { 'Accept-Encoding': 'gzip' });
    expect(gunzipSync(raw).toString('utf8')).toBe(text);
    expect(await rawGet(url, { 'Accept-Encoding': 'gzip' })).toEqual(raw);

    const live = await fetch(`${server.url}/api/pots/alpha/live`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(live.headers.get('content-encoding')).toBeNull();
  });
});

function rawGet(url: string, headers: Record<string, string>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(Buffer.concat(chunks)));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}
