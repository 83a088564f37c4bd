import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { listenOnLoopback } from '../helpers/loopback-server.js';
import { addUser, FAST_SCRYPT, signedIn } from '../helpers/moderation.js';
import { startPotPlatform, type PotPlatform } from '../helpers/pot-platform.js';
import { startTestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait-for.js';

async function adminServer(renderer?: { executablePath: string }) {
  const server = closeAfterTest(
    await startTestServer({ pots: [], moderation: { scryptCost: FAST_SCRYPT }, sourcesAllowHosts: ['127.0.0.1'], ...(renderer ? { renderer } : {}) }),
  );
  await addUser(server, 'ada', 'admin');
  await addUser(server, 'mo', 'moderator');
  return { server, admin: await signedIn(server, 'ada') };
}

function seed(platform: PotPlatform, gifts: number): void {
  for (let i = 0; i < gifts; i++) platform.give(i % 4 === 0 ? 'Anonyme' : `Donateur ${i}`, 10 + (i % 3) * 5, i % 2 ? `Courage ${i}` : undefined);
}

/** A local page that the test shapes: streamed forever, enormous, or ambiguous. */
async function oddPage(write: (res: import('node:http').ServerResponse) => void) {
  return closeAfterTest(await listenOnLoopback(createServer((_req, res) => write(res))));
}

describe('pot pages drawn by script, read as their readers see them', () => {
  it('previews a page whose figures and list a script draws late: figures, where they were, the contributions', async () => {
    const platform = closeAfterTest(await startPotPlatform({ widgetDelayMs: 600 }));
    seed(platform, 14);
    const { admin } = await adminServer();
    const answer = await admin.request('POST', '/api/sources/preview', { source: { kind: 'html', url: platform.scriptedPage } });
    expect(answer.status).toBe(200);
    const total = platform.gifts.reduce((sum, gift) => sum + gift.amount, 0) / 100;
    expect(answer.json).toMatchObject({ amount: total, contributors: 14 });
    expect(answer.json.found).toMatchObject({
      renderedBy: 'browser',
      currency: 'EUR',
      amount: { selector: 'span.somme', how: 'followed by "collectés"' },
      contributors: { selector: 'b.nb', how: 'followed by "participants"' },
      contributions: { recognised: true, items: 10, selectors: { item: 'ol.derniers-dons > li.don', name: '.qui', amount: '.combien' } },
    });
    const newest = platform.gifts.at(-1)!;
    expect(answer.json.contributions[0]).toEqual({ name: newest.name, amount: newest.amount / 100, ...(newest.message ? { message: newest.message } : {}) });
    expect(answer.json.snapshot).toContain('derniers-dons');
    expect(answer.json.snapshot).not.toMatch(/<script/i);
  });

  it('reads the page as served when the figures are in it, without a browser', async () => {
    const platform = closeAfterTest(await startPotPlatform());
    seed(platform, 3);
    const { admin, server } = await adminServer();
    const answer = await admin.request('POST', '/api/sources/preview', { source: { kind: 'html', url: platform.servedPage } });
    expect(answer.json).toMatchObject({ contributors: 3, found: { renderedBy: 'server' } });
    expect(server.renderer.stats().renders).toBe(0);
  });

  it.each([
    ['an unreachable address', async () => 'http://127.0.0.1:9/', {}, /could not reach 127\.0\.0\.1:9/],
    ['a page that is not a pot', async () => (await oddPage((res) => res.end('<h1>Bienvenue</h1><p>Notre boutique ouvre à 9 h.</p>'))).url, { render: 'static' }, /the amount was not found on the page: no amount in a currency/],
    ['figures drawn by script, read as served', async (platform: PotPlatform) => platform.scriptedPage, { render: 'static' }, /the amount was not found on the page/],
    ['figures that never appear', async () => (await oddPage((res) => res.end('<p>Chargement…</p>'))).url, { render: 'browser', timeoutSeconds: 1 }, /not found on the page.*\(page rendered in a browser for 1 s\)/],
    ['a giant page', async () => (await oddPage((res) => res.end(`<p>${'x'.repeat(6 * 1024 * 1024)}</p>`))).url, { render: 'static' }, /sent more than 5 MiB/],
    ['a page that never finishes loading and shows nothing', async () => (await oddPage((res) => res.write('<!doctype html><p>Chargement'))).url, { render: 'static', timeoutSeconds: 1 }, /did not answer within 1 s/],
    ['a selector that matches many things', async (platform: PotPlatform) => platform.servedPage, { render: 'static', amount: 'li', contributors: 'div' }, /the selector li picks \d+ different amount texts; it should pick one/],
    ['a bot-protection interstitial', async (platform: PotPlatform) => ((platform.interstitial = true), platform.scriptedPage), {}, /HTTP 403 Forbidden .*: a Cloudflare challenge page/],
  ])('explains in the preview why %s cannot be read, storing nothing', async (_what, address, options, reason) => {
    const platform = closeAfterTest(await startPotPlatform());
    seed(platform, 12);
    const { admin, server } = await adminServer();
    const url = await address(platform);
    const answer = await admin.request('POST', '/api/sources/preview', { source: { kind: 'html', url, ...options } });
    expect(answer.status).toBe(422);
    expect(answer.json.error).toMatchObject({ code: 'source_unreadable', field: 'source' });
    expect(answer.json.error.message).toMatch(reason);
    expect(server.states.ids()).toEqual([]);
  });

  it('reads a page that never finishes loading once it shows its figures', async () => {
    const page = await oddPage((res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.write('<!doctype html><p><b>1 234,50 €</b> collectés</p><p>12 participants</p>');
    });
    const { admin } = await adminServer();
    const answer = await admin.request('POST', '/api/sources/preview', { source: { kind: 'html', url: page.url, render: 'browser', timeoutSeconds: 5 } });
    expect(answer.json).toMatchObject({ amount: 1234.5, contributors: 12, found: { renderedBy: 'browser' } });
  });

  it('tracks such a page live and stores each contribution once across overlapping lists', async () => {
    const platform = closeAfterTest(await startPotPlatform({ widgetDelayMs: 200 }));
    seed(platform, 6);
    const { server, admin } = await adminServer();
    const created = await admin.request('POST', '/api/pots', {
      id: 'soutien',
      title: 'Soutien',
      source: { kind: 'html', url: platform.scriptedPage, everySeconds: 0.3, timeoutSeconds: 5 },
    });
    expect(created.status).toBe(201);
    await waitFor(() => server.states.latest('soutien')?.contributors === 6, 'the first reading', 20_000);

    // Gifts keep coming while Potwatch polls: floods of identical ones among them.
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 3; i++) platform.give('Anonyme', 10);
      platform.give(`Soutien ${round}`, 25, `Tenez bon ${round}`);
      const expected = platform.gifts.length;
      await waitFor(() => server.states.latest('soutien')?.contributors === expected, `reading ${expected}`, 20_000);
    }
    const moderator = await signedIn(server, 'mo');
    const stored = (await moderator.request('GET', '/api/pots/soutien/contributions?limit=1000')).json.contributions;
    expect(stored.map((c: { name: string; amountMinor: number; message?: string }) => [c.name, c.amountMinor, c.message ?? null])).toEqual(
      [...platform.gifts].reverse().map((gift) => [gift.name, gift.amount, gift.message ?? null]),
    );
    expect((await (await fetch(`${server.url}/api/pots/soutien/contributions`)).json()).error.code).toBe('not_signed_in');
  });

  it('goes stale with the reason behind an interstitial, and says how to install Chromium when it is missing', async () => {
    const platform = closeAfterTest(await startPotPlatform());
    seed(platform, 2);
    const { server, admin } = await adminServer({ executablePath: '/nonexistent/chromium' });
    await admin.request('POST', '/api/pots', { id: 'rendered', title: 'R', source: { kind: 'html', url: platform.scriptedPage, render: 'browser', everySeconds: 0.2 } });
    await admin.request('POST', '/api/pots', { id: 'served', title: 'S', source: { kind: 'html', url: platform.servedPage, everySeconds: 0.2, maxBackoffSeconds: 0.4 } });
    await waitFor(() => server.states.statusInfo('rendered').reason !== 'no reading yet', 'a first attempt');
    expect(server.states.statusInfo('rendered')).toMatchObject({
      status: 'stale',
      reason: expect.stringMatching(/headless Chromium is not installed at \/nonexistent\/chromium: install it \(on Debian: apt install chromium\) or set CHROMIUM_PATH/),
    });
    await waitFor(() => server.states.latest('served') !== undefined, 'the served page read without Chromium');

    platform.interstitial = true;
    const before = server.states.latest('served');
    await waitFor(() => /Cloudflare challenge page/.test(server.states.statusInfo('served').reason ?? ''), 'the interstitial named');
    expect(server.states.latest('served')).toEqual(before);
  });
});
