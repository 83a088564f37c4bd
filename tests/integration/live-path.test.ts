import { describe, expect, it } from 'vitest';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { connectViewer, nextEvent, postReadings, startTestServer, webhookPot } from '../helpers/server.js';

const T0 = Date.UTC(2019, 0, 8, 9, 0);
const MINUTE = 60_000;

describe('live path: webhook reading -> SQLite -> Socket.IO viewers', () => {
  it('broadcasts a committed reading to every subscribed viewer and stores it', async () => {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha'), webhookPot('beta')] }));
    const viewers = (await Promise.all([connectViewer(server.url), connectViewer(server.url)])).map(closeAfterTest);
    const other = closeAfterTest(await connectViewer(server.url));
    for (const viewer of viewers) {
      const ack = await viewer.emitWithAck('subscribe', { potId: 'alpha' });
      expect(ack).toMatchObject({ ok: true, pot: { id: 'alpha', currency: 'EUR' }, latest: null });
    }
    await other.emitWithAck('subscribe', { potId: 'beta' });
    let otherGotAlpha = false;
    other.on('reading', (event) => {
      if (event.potId === 'alpha') otherGotAlpha = true;
    });

    const received = viewers.map((viewer) => nextEvent(viewer, 'reading'));
    const answer = await postReadings(server.url, 'alpha', {
      at: new Date(T0).toISOString(),
      amount: '1234.50',
      contributors: 42,
    });
    expect(answer).toEqual({ status: 200, json: { accepted: 1, duplicates: 0 } });
    for (const event of await Promise.all(received)) {
      expect(event).toEqual({ potId: 'alpha', at: T0, amountMinor: 123450, contributors: 42 });
    }
    expect(otherGotAlpha).toBe(false);

    const series = await (await fetch(`${server.url}/api/pots/alpha/series`)).json();
    expect(series).toEqual({ potId: 'alpha', from: T0, to: T0, points: [[T0, 123450, 42]] });
  });

  it('coalesces a burst into messages carrying the newest state', async () => {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')], broadcastIntervalMs: 300 }));
    const viewer = closeAfterTest(await connectViewer(server.url));
    await viewer.emitWithAck('subscribe', { potId: 'alpha' });
    const events: number[] = [];
    viewer.on('reading', (event) => events.push(event.contributors));

    for (let i = 1; i <= 20; i++) {
      await postReadings(server.url, 'alpha', { at: T0 + i * MINUTE, amount: i * 10, contributors: i });
    }
    await nextEvent(viewer, 'reading', (event) => event.contributors === 20);
    expect(events.length).toBeLessThan(20);
    expect(events[events.length - 1]).toBe(20);
    expect(events).toEqual([...events].sort((a, b) => a - b));
  });

  it('loses nothing across a restart on the same database file', async () => {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')] }));
    const batch = Array.from({ length: 500 }, (_, i) => ({ at: T0 + i * MINUTE, amount: i * 3.5, contributors: i }));
    expect((await postReadings(server.url, 'alpha', batch)).json).toEqual({ accepted: 500, duplicates: 0 });
    const { databasePath } = server;
    await server.close();

    const restarted = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')] }, databasePath));
    const pot = await (await fetch(`${restarted.url}/api/pots/alpha`)).json();
    expect(pot.latest).toEqual({ at: T0 + 499 * MINUTE, amountMinor: 174650, contributors: 499 });
    expect(pot.stats.readings).toBe(500);
    const series = await (await fetch(`${restarted.url}/api/pots/alpha/series?points=1000`)).json();
    expect(series.points).toHaveLength(500);
    expect(series.points[123]).toEqual([T0 + 123 * MINUTE, 43050, 123]);
    expect((await postReadings(restarted.url, 'alpha', batch)).json).toEqual({ accepted: 0, duplicates: 500 });
  });

  it('answers subscribe with an error for unknown pots and malformed payloads', async () => {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')] }));
    const viewer = closeAfterTest(await connectViewer(server.url));
    expect(await viewer.emitWithAck('subscribe', { potId: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'pot_not_found', field: 'potId' },
    });
    expect(await viewer.emitWithAck('subscribe', { potId: 'Bad Id!' } as never)).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload', field: 'potId' },
    });
    expect(await viewer.emitWithAck('subscribe', 'garbage' as never)).toMatchObject({ ok: false });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
