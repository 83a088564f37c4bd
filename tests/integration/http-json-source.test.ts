import { describe, expect, it } from 'vitest';
import { potConfigSchema, type PotConfig } from '../../shared/pot-config.js';
import type { StatusEvent } from '../../shared/events.js';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { startFakeSource } from '../helpers/fake-source.js';
import { connectViewer, nextEvent, startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait-for.js';

function jsonPot(url: string, source: Record<string, unknown> = {}): PotConfig {
  return potConfigSchema.parse({
    id: 'api-pot',
    title: 'A pot with an API',
    currency: 'EUR',
    source: {
      kind: 'http-json',
      url: `${url}/pot.json`,
      everySeconds: 0.1,
      timeoutSeconds: 0.3,
      maxBackoffSeconds: 2,
      amount: '/data/amount',
      contributors: '/data/count',
      ...source,
    },
  });
}

const json = (amount: unknown, count: unknown, headers: Record<string, string> = {}) => ({
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify({ data: { amount, count } }),
});

async function seriesOf(server: TestServer, potId = 'api-pot'): Promise<Array<[number, number, number]>> {
  const body = await (await fetch(`${server.url}/api/pots/${potId}/series?points=5000`)).json();
  return body.points;
}

describe('http-json source: a real local JSON API', () => {
  it('stores changing figures read at the JSON Pointers, exactly, and pushes them to viewers', async () => {
    const source = closeAfterTest(await startFakeSource((_request, index) => json(1000.1 + index * 10, String(20 + index))));
    const server = closeAfterTest(await startTestServer({ pots: [jsonPot(source.url)] }));
    const viewer = closeAfterTest(await connectViewer(server.url));
    await viewer.emitWithAck('subscribe', { potId: 'api-pot' });

    const event = await nextEvent(viewer, 'reading', (reading) => reading.contributors >= 22);
    expect(event.amountMinor).toBe(100010 + (event.contributors - 20) * 1000);
    const points = await seriesOf(server);
    expect(points.length).toBeGreaterThanOrEqual(3);
    for (const [, amountMinor, contributors] of points) expect(amountMinor).toBe(100010 + (contributors - 20) * 1000);
    expect(source.requests[0]!.headers['user-agent']).toMatch(/^Potwatch/);
  });

  it('sends If-None-Match and takes a 304 as "the same figures, still true now"', async () => {
    const source = closeAfterTest(
      await startFakeSource((request) => (request.headers['if-none-match'] === '"v1"' ? { status: 304 } : json('2500.00', 7, { etag: '"v1"' }))),
    );
    const server = closeAfterTest(await startTestServer({ pots: [jsonPot(source.url)] }));
    await waitFor(() => source.requests.length >= 4, 'four polls');
    expect(source.requests[0]!.headers['if-none-match']).toBeUndefined();
    expect(source.requests.slice(1).every((request) => request.headers['if-none-match'] === '"v1"')).toBe(true);
    const points = await seriesOf(server);
    expect(points.length).toBeGreaterThanOrEqual(3);
    expect(new Set(points.map(([, amount, count]) => `${amount}/${count}`))).toEqual(new Set(['250000/7']));
    expect((await (await fetch(`${server.url}/api/pots/api-pot`)).json()).status).toBe('live');
  });

  it('goes stale with the reason when the API is too slow, and live again on a real socket', async () => {
    let slow = false;
    const source = closeAfterTest(await startFakeSource((_request, index) => ({ ...json(10 + index, index), delayMs: slow ? 1000 : 0 })));
    const server = closeAfterTest(await startTestServer({ pots: [jsonPot(source.url)] }));
    const viewer = closeAfterTest(await connectViewer(server.url));
    await viewer.emitWithAck('subscribe', { potId: 'api-pot' });
    await nextEvent(viewer, 'reading');

    slow = true;
    const stale = await nextEvent(viewer, 'status', (event) => event.status === 'stale');
    expect(stale.reason).toMatch(/^127\.0\.0\.1:\d+ did not answer within 0\.3 s$/);
    expect(stale.lastReadingAt).toEqual(expect.any(Number));
    const storedWhileSlow = (await seriesOf(server)).length;

    slow = false;
    const live: StatusEvent = await nextEvent(viewer, 'status', (event) => event.status === 'live', 6000);
    expect(live.reason).toBeUndefined();
    expect(live.lastReadingAt!).toBeGreaterThan(stale.lastReadingAt!);
    expect((await seriesOf(server)).length).toBeGreaterThan(storedWhileSlow);
  });

  it('backs off exponentially on failures and stores nothing meanwhile', async () => {
    const source = closeAfterTest(await startFakeSource(() => ({ status: 503, body: 'maintenance' })));
    const server = closeAfterTest(await startTestServer({ pots: [jsonPot(source.url)] }));
    await waitFor(() => source.requests.length >= 4, 'four attempts', 6000);
    const gaps = source.requests.slice(1, 4).map((request, i) => request.at - source.requests[i]!.at);
    // After n failures the wait is between every*2^(n-1) and every*2^n (every = 100 ms).
    expect(gaps[0]).toBeGreaterThanOrEqual(90);
    expect(gaps[0]).toBeLessThan(350);
    expect(gaps[2]).toBeGreaterThanOrEqual(380);
    expect(gaps[2]).toBeGreaterThan(gaps[0]!);
    expect(await seriesOf(server)).toEqual([]);
    const pot = await (await fetch(`${server.url}/api/pots/api-pot`)).json();
    expect(pot).toMatchObject({ status: 'stale', reason: expect.stringMatching(/^HTTP 503 Service Unavailable from 127\.0\.0\.1:\d+$/) });
  });

  it('waits as long as a 429 answer asks in Retry-After', async () => {
    const source = closeAfterTest(
      await startFakeSource((_request, index) => (index === 0 ? { status: 429, headers: { 'retry-after': '1' } } : json(1, 1))),
    );
    closeAfterTest(await startTestServer({ pots: [jsonPot(source.url)] }));
    await waitFor(() => source.requests.length >= 2, 'a second attempt', 4000);
    expect(source.requests[1]!.at - source.requests[0]!.at).toBeGreaterThanOrEqual(980);
  });

  it.each([
    ['not JSON', { body: '{"data": {"amount": 12' }, /^the answer is not valid JSON$/],
    ['a missing pointer', { body: JSON.stringify({ data: { total: 5, count: 1 } }) }, /no amount at \/data\/amount \(nothing at \/data\/amount\)/],
    ['a text amount', json('lots', 3), /the amount cannot be read: no number in "lots"/],
    ['a negative amount', json(-5, 3), /the amount -5 must not be negative/],
    ['a fractional count', json(5, 2.5), /the contributors 2\.5 is not a whole number/],
    ['a null count', json(5, null), /the contributors is null, not a whole number/],
    ['a challenge page', { body: '<html><head><title>Just a moment...</title></head></html>' }, /got a Cloudflare challenge page/],
  ])('stores nothing and says why for %s', async (_what, answer, reason) => {
    const source = closeAfterTest(await startFakeSource(() => answer));
    const server = closeAfterTest(await startTestServer({ pots: [jsonPot(source.url)] }));
    await waitFor(() => source.requests.length >= 2, 'two attempts');
    const pot = await (await fetch(`${server.url}/api/pots/api-pot`)).json();
    expect(pot.status).toBe('stale');
    expect(pot.reason).toMatch(reason);
    expect(await seriesOf(server)).toEqual([]);
  });

  it('says so when nothing listens at the address', async () => {
    const source = await startFakeSource(() => json(1, 1));
    const { url } = source;
    await source.close();
    const server = closeAfterTest(await startTestServer({ pots: [jsonPot(url)] }));
    await waitFor(() => server.states.statusInfo('api-pot').reason !== 'no reading yet', 'a first attempt');
    expect(server.states.statusInfo('api-pot').reason).toMatch(/^could not reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\)$/);
  });

  it('reads amounts given in minor units, and sends the configured headers', async () => {
    const source = closeAfterTest(await startFakeSource(() => json(123456, 12)));
    const server = closeAfterTest(
      await startTestServer({
        pots: [jsonPot(source.url, { amountIn: 'minor', headers: { Authorization: 'Bearer token-1' }, userAgent: 'NewsroomBot/2' })],
      }),
    );
    await waitFor(() => source.requests.length >= 1, 'a poll');
    await waitFor(() => server.states.latest('api-pot') !== undefined, 'a reading');
    expect(server.states.latest('api-pot')).toMatchObject({ amountMinor: 123456, contributors: 12 });
    expect(source.requests[0]!.headers).toMatchObject({ authorization: 'Bearer token-1', 'user-agent': 'NewsroomBot/2' });
  });
});
