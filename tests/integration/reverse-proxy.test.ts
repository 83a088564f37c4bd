import { request, type IncomingMessage } from 'node:http';
import * as cheerio from 'cheerio';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollDelay, POLL_INTERVAL_MS } from '../../client/src/lib/live-feed.js';
import { LIVE_CACHE_CONTROL } from '../../server/http/routes/live.js';
import type { TestSocket } from '../helpers/server.js';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { getThrough, SITE_NAME, startNginx, type RunningNginx } from '../helpers/nginx.js';
import { nextEvent, postReadings, startTestServer, webhookPot, type TestServer } from '../helpers/server.js';

const T0 = Date.UTC(2019, 0, 8, 9, 0);
const MINUTE = 60_000;
const READERS = 2000;
const MAX_AGE_MS = Number(/max-age=(\d+)/.exec(LIVE_CACHE_CONTROL)![1]) * 1000;
/** The longest wait between two polls of one reader (the interval and its jitter). */
const LONGEST_POLL_WAIT_MS = pollDelay(0, 0.999_999);
/** nginx counts a cached answer's lifetime in whole seconds: it may keep one up to a second longer. */
const NGINX_CLOCK_MS = 1000;
/** Room for a machine busy with 2,000 readers, nginx and Potwatch on two cores. */
const LOAD_MARGIN_MS = 1000;

describe('Potwatch behind nginx, with the shipped configuration', () => {
  let server: TestServer;
  let nginx: RunningNginx;
  /** What reached Potwatch itself, by path. */
  const originRequests: string[] = [];

  beforeAll(async () => {
    server = await startTestServer({ pots: [webhookPot('alpha', { title: 'Alpha pot', platform: 'Leetchi' })], trustProxy: 'loopback' });
    server.httpServer.on('request', (req: IncomingMessage) => originRequests.push(req.url ?? ''));
    await postReadings(server.url, 'alpha', Array.from({ length: 60 }, (_, i) => ({ at: T0 + i * MINUTE, amount: 100 + i, contributors: 1 + i })));
    nginx = await startNginx(server.port);
  });
  afterAll(async () => {
    await nginx?.stop();
    await server?.dispose();
  });

  it('answers over TLS only, and tells Potwatch the reader’s scheme and address', async () => {
    const plain = await new Promise<IncomingMessage>((resolve, reject) =>
      request(`${nginx.plainUrl}/embed/alpha`, { headers: { Host: SITE_NAME } }, resolve).on('error', reject).end(),
    );
    plain.resume();
    expect(plain.statusCode).toBe(301);
    expect(plain.headers.location).toBe(`https://${SITE_NAME}/embed/alpha`);

    // Potwatch believes nginx (TRUST_PROXY=loopback): the embed it offers is on https and the site's name.
    const oembed = await getThrough(nginx, `/oembed?url=${encodeURIComponent(`https://${SITE_NAME}/pots/alpha`)}`);
    expect(oembed.status).toBe(200);
    const html = JSON.parse(oembed.body.toString()).html as string;
    expect(cheerio.load(html)('iframe').attr('src')).toBe(`https://${SITE_NAME}/embed/alpha`);

    expect((await getThrough(nginx, '/metrics')).status).toBe(403);
  });

  it('carries live connections over WebSocket', async () => {
    const socket: TestSocket = closeAfterTest(
      connect(nginx.url, {
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
        // The test certificate names the site, not the loopback address it is reached at.
        ca: nginx.certificate,
        checkServerIdentity: () => undefined,
      } as Parameters<typeof connect>[1]),
    );
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    expect(await socket.emitWithAck('subscribe', { potId: 'alpha' })).toMatchObject({ ok: true });
    const heard = nextEvent(socket, 'reading', (event) => event.at === T0 + 60 * MINUTE);
    expect((await postReadings(server.url, 'alpha', { at: T0 + 60 * MINUTE, amount: 200, contributors: 70 })).status).toBe(200);
    expect(await heard).toMatchObject({ potId: 'alpha', contributors: 70 });
  });

  it('keeps one copy of an embed page per language and encoding, for every reader of it', async () => {
    const french = await getThrough(nginx, '/embed/alpha', { 'Accept-Language': 'fr-FR,fr;q=0.9', 'Accept-Encoding': 'gzip, deflate, br' });
    expect(french.headers['content-encoding']).toBe('br');
    const again = await getThrough(nginx, '/embed/alpha', { 'Accept-Language': 'fr-CA,fr', 'Accept-Encoding': 'br' });
    expect(again.headers['x-cache-status']).toBe('HIT');
    const english = await getThrough(nginx, '/embed/alpha', { 'Accept-Language': 'en-US,en;q=0.9', 'Accept-Encoding': 'identity' });
    expect(english.headers['content-encoding']).toBeUndefined();
    expect(cheerio.load(english.body.toString())('html').attr('lang')).toBe('en');
    const asset = cheerio.load(english.body.toString())('script[src]').attr('src')!;
    await getThrough(nginx, asset, { 'Accept-Encoding': 'gzip' });
    expect((await getThrough(nginx, asset, { 'Accept-Encoding': 'gzip' })).headers['x-cache-status']).toBe('HIT');
  });

  it(
    `turns ${READERS} polling readers into about one request per second at Potwatch, and brings them a reading within max-age and a poll`,
    async () => {
      const path = '/api/pots/alpha/live';
      const pollsAtOrigin = () => originRequests.filter((url) => url === path).length;
      let stopped = false;
      const seenAt = new Map<number, number>();
      let posted = Infinity;
      const newAt = T0 + 61 * MINUTE;

      // Each reader polls as the embed does: a jittered interval, revalidating what it has.
      const reader = async (index: number) => {
        let etag: string | undefined;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * POLL_INTERVAL_MS));
        while (!stopped) {
          const answer = await getThrough(nginx, path, etag ? { 'If-None-Match': etag } : {});
          if (answer.status === 200) {
            etag = answer.headers.etag as string;
            const snapshot = JSON.parse(answer.body.toString());
            if (snapshot.latest?.at === newAt && !seenAt.has(index)) seenAt.set(index, Date.now());
          } else {
            expect(answer.status).toBe(304);
          }
          await new Promise((resolve) => setTimeout(resolve, pollDelay(0, Math.random())));
        }
      };
      const readers = Array.from({ length: READERS }, (_, index) => reader(index));

      await new Promise((resolve) => setTimeout(resolve, 2 * POLL_INTERVAL_MS));
      const before = pollsAtOrigin();
      const measuredFrom = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 3 * POLL_INTERVAL_MS));
      posted = Date.now();
      expect((await postReadings(server.url, 'alpha', { at: newAt, amount: 300, contributors: 80 })).status).toBe(200);
      const deadline = posted + MAX_AGE_MS + NGINX_CLOCK_MS + LONGEST_POLL_WAIT_MS + 2 * LOAD_MARGIN_MS;
      while (seenAt.size < READERS && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      const seconds = (Date.now() - measuredFrom) / 1000;
      const originPerSecond = (pollsAtOrigin() - before) / seconds;
      stopped = true;
      await Promise.all(readers);

      // nginx's cache times have a resolution of a second: one refresh every one to two seconds.
      const slowest = Math.max(...seenAt.values()) - posted;
      process.stdout.write(`reverse proxy: ${originPerSecond.toFixed(2)} origin polls/s for ${READERS} readers; slowest reader saw the reading after ${slowest} ms\n`);
      expect(originPerSecond).toBeLessThanOrEqual(1.2);
      expect(seenAt.size).toBe(READERS);
      expect(slowest).toBeLessThanOrEqual(MAX_AGE_MS + NGINX_CLOCK_MS + LONGEST_POLL_WAIT_MS + LOAD_MARGIN_MS);
    },
    60_000,
  );
});
