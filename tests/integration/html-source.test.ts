import { describe, expect, it } from 'vitest';
import { potConfigSchema, type PotConfig } from '../../shared/pot-config.js';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { startFakeSource } from '../helpers/fake-source.js';
import { connectViewer, nextEvent, startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait-for.js';

const NBSP = '\u00a0';
const NARROW_NBSP = '\u202f';

function htmlPot(url: string, source: Record<string, unknown> = {}): PotConfig {
  return potConfigSchema.parse({
    id: 'page-pot',
    title: 'A pot without an API',
    currency: 'EUR',
    source: {
      kind: 'html',
      url: `${url}/cagnotte`,
      everySeconds: 0.1,
      timeoutSeconds: 0.5,
      maxBackoffSeconds: 0.4,
      amount: '.pot-total .amount',
      contributors: '#participants',
      // The page as served: rendering by a browser has its own tests (rendered-pages.test.ts).
      render: 'static',
      ...source,
    },
  });
}

function potPage(amount: string, participants: string): { headers: Record<string, string>; body: string } {
  return {
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: `<!doctype html><html lang="fr"><head><title>Cagnotte</title></head><body>
      <div class="pot-total"><span class="label">Collecté</span> <span class="amount">${amount}</span></div>
      <p id="participants">${participants}</p>
      <footer><span class="amount-goal">Objectif 2 000 000 €</span></footer></body></html>`,
  };
}

const CHALLENGE = `<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
  <meta http-equiv="refresh" content="390"></head><body><noscript>Enable JavaScript and cookies to continue</noscript>
  <script>window._cf_chl_opt={cvId: '3'};</script></body></html>`;

describe('html source: a real local pot page', () => {
  async function potStatus(server: TestServer): Promise<{ status: string; reason?: string; latest?: unknown }> {
    return (await fetch(`${server.url}/api/pots/page-pot`)).json();
  }

  async function storedCount(server: TestServer): Promise<number> {
    return (await (await fetch(`${server.url}/api/pots/page-pot/series?points=5000`)).json()).points.length;
  }

  it.each([
    [`1${NARROW_NBSP}400${NARROW_NBSP}000,50${NBSP}€`, `50${NBSP}123 participants`, undefined],
    ['1 400 000,50 €', '50 123 participants', 'fr-FR'],
    ['€1,400,000.50', '50,123 contributors', undefined],
    ['1.400.000,50 EUR', '50.123 Teilnehmer', 'de-DE'],
    ["CHF 1'400'000.50", "50'123", undefined],
  ])('reads %s and %s exactly (locale %s)', async (amount, participants, locale) => {
    const source = closeAfterTest(await startFakeSource(() => potPage(amount, participants)));
    const server = closeAfterTest(await startTestServer({ pots: [htmlPot(source.url, locale ? { locale } : {})] }));
    await waitFor(() => server.states.latest('page-pot') !== undefined, 'a reading');
    expect(server.states.latest('page-pot')).toMatchObject({ amountMinor: 140000050, contributors: 50123 });
  });

  it('decodes a page served in windows-1252', async () => {
    const page = potPage('1 400 000,50 €', '50 123 participants');
    const source = closeAfterTest(
      await startFakeSource(() => ({
        headers: { 'content-type': 'text/html; charset=windows-1252' },
        body: Buffer.from(page.body.replace(/€/g, '\u0080'), 'latin1'),
      })),
    );
    const server = closeAfterTest(await startTestServer({ pots: [htmlPot(source.url)] }));
    await waitFor(() => server.states.latest('page-pot') !== undefined, 'a reading');
    expect(server.states.latest('page-pot')).toMatchObject({ amountMinor: 140000050, contributors: 50123 });
  });

  it.each([
    ['a Cloudflare "Just a moment…" page answered 200', { body: CHALLENGE }, /^got a Cloudflare challenge page \("Just a moment…"\) instead of the pot page$/],
    ['a challenge answered 403', { status: 403, body: CHALLENGE }, /^HTTP 403 Forbidden from 127\.0\.0\.1:\d+: a Cloudflare challenge page/],
    ['a cf-mitigated header', { headers: { 'cf-mitigated': 'challenge' }, body: '<p>wait</p>' }, /^got a Cloudflare challenge page instead/],
    ['HTTP 429', { status: 429, body: 'slow down' }, /^HTTP 429 Too Many Requests from 127\.0\.0\.1:\d+$/],
    ['HTTP 503', { status: 503, body: '<h1>Service Unavailable</h1>' }, /^HTTP 503 Service Unavailable from/],
    ['a missing element', potPage('1 400 000,50 €', '').body.replace('class="amount"', 'class="total"'), /the page has no amount: nothing matches the selector \.pot-total \.amount/],
    ['an unparsable amount', potPage('bientôt disponible', '12 participants'), /the amount cannot be read: no number in "bientôt disponible"/],
    ['an abbreviated amount', potPage('1,4 M€', '12 participants'), /the amount cannot be read: "1,4 M€" is abbreviated/],
    ['two numbers', potPage('1 400 000 € sur 2 000 000 €', '12 participants'), /several numbers in/],
    ['a fractional count', potPage('12 €', '12,5 participants'), /the contributors cannot be read: "12,5 participants" is not a whole number/],
  ])('stores nothing and goes stale with the reason for %s', async (_what, answer, reason) => {
    const source = closeAfterTest(await startFakeSource(() => (typeof answer === 'string' ? { body: answer } : answer)));
    const server = closeAfterTest(await startTestServer({ pots: [htmlPot(source.url)] }));
    await waitFor(() => source.requests.length >= 2, 'two attempts');
    const pot = await potStatus(server);
    expect(pot.status).toBe('stale');
    expect(pot.reason).toMatch(reason);
    expect(await storedCount(server)).toBe(0);
  });

  it('pushes stale with the reason while the page is blocked, then live when it is back', async () => {
    let blocked = false;
    let contributors = 10;
    const source = closeAfterTest(await startFakeSource(() => (blocked ? { status: 503, body: CHALLENGE } : potPage(`${contributors * 5} €`, `${contributors++} participants`))));
    const server = closeAfterTest(await startTestServer({ pots: [htmlPot(source.url)] }));
    const viewer = closeAfterTest(await connectViewer(server.url));
    await viewer.emitWithAck('subscribe', { potId: 'page-pot' });
    await nextEvent(viewer, 'reading');

    blocked = true;
    const stale = await nextEvent(viewer, 'status', (event) => event.status === 'stale');
    expect(stale.reason).toMatch(/^HTTP 503 Service Unavailable from .*: a Cloudflare challenge page/);
    const lastGood = server.states.latest('page-pot')!;
    expect(stale.lastReadingAt).toBe(lastGood.at);
    await waitFor(() => source.requests.length >= 4, 'retries while blocked');
    expect(server.states.latest('page-pot')).toEqual(lastGood);

    blocked = false;
    const live = await nextEvent(viewer, 'status', (event) => event.status === 'live');
    expect(live.lastReadingAt).toBeGreaterThan(lastGood.at);
  });
});
