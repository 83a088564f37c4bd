import { io as connect } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import type { LiveLimits } from '../../server/live/connection-limits.js';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { openRawWebSocket, type RawWebSocket } from '../helpers/raw-websocket.js';
import { connectViewer, nextEvent, postReadings, startTestServer, webhookPot } from '../helpers/server.js';
import { recordFigures } from '../helpers/soak.js';
import { waitFor } from '../helpers/wait-for.js';

const MINUTE = 60_000;
const T0 = Date.now() - 24 * 60 * MINUTE;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A Socket.IO session over a raw WebSocket: connected to the default namespace, its sid known, closed after the test. */
async function rawViewer(url: string, headers: Record<string, string> = {}): Promise<{ raw: RawWebSocket; sid: string }> {
  const raw = closeAfterTest(await openRawWebSocket(url, { headers }));
  raw.send('40');
  await waitFor(() => raw.messages.some((message) => message.startsWith('40{')), 'the namespace connection');
  const sid = JSON.parse(raw.messages.find((message) => message.startsWith('40{'))!.slice(2)).sid as string;
  return { raw, sid };
}

describe('slow and abusive live clients', () => {
  async function start(limits: Partial<LiveLimits>, extra: Record<string, unknown> = {}) {
    return closeAfterTest(
      await startTestServer({
        pots: [webhookPot('alpha', { title: `A pot with a long title ${'·'.repeat(170)}` })],
        broadcastIntervalMs: 0,
        liveLimits: limits,
        ...extra,
      }),
    );
  }

  it('drops a viewer that stops reading once its queue passes the bound, without slowing the others', async () => {
    const server = await start({ maxQueuedBytes: 64 * 1024, sweepMs: 100, eventsPerSecond: 1_000_000, eventBurst: 1_000_000 });
    const viewer = closeAfterTest(await connectViewer(server.url));
    await viewer.emitWithAck('subscribe', { potId: 'alpha' });
    const { raw, sid } = await rawViewer(server.url);
    raw.send('420["subscribe",{"potId":"alpha"}]');
    await waitFor(() => raw.messages.some((message) => message.startsWith('430[{"ok":true')), 'the stuck viewer to subscribe');

    raw.stopReading();
    const delays: number[] = [];
    let reading = 0;
    // Each round: 200 requests from the stuck viewer, one reading to the other.
    const stuckIsConnected = () => server.io.of('/').sockets.has(sid);
    // It asks for more and more while reading nothing: each answer waits in the server for it.
    while (stuckIsConnected()) {
      for (let i = 0; i < 200; i++) raw.send(`42${i}["subscribe",{"potId":"alpha"}]`);
      reading++;
      const sent = performance.now();
      const received = nextEvent(viewer, 'reading', (event) => event.contributors === reading, 3000);
      expect((await postReadings(server.url, 'alpha', { at: T0 + reading * MINUTE, amount: reading, contributors: reading })).status).toBe(200);
      await received;
      delays.push(performance.now() - sent);
      expect(reading).toBeLessThan(400);
    }
    expect(server.liveGuard.openConnections('127.0.0.1')).toBe(1);
    // The other viewer heard every reading promptly, before and after the drop.
    expect(Math.max(...delays)).toBeLessThan(3000);
    const after = nextEvent(viewer, 'reading', (event) => event.contributors === reading + 1);
    await postReadings(server.url, 'alpha', { at: T0 + (reading + 1) * MINUTE, amount: reading + 1, contributors: reading + 1 });
    await after;
    recordFigures('faults', {
      name: `a viewer that stopped reading sent ${reading * 200} subscribes; dropped past a 64 KiB queue; the other viewer's readings took at worst ${Math.round(Math.max(...delays))} ms`,
      faults: 1,
    });
  });

  it('caps live connections per address with a clear error, and frees the place when one closes', async () => {
    const server = await start({ maxConnectionsPerAddress: 3 });
    const three = (await Promise.all([connectViewer(server.url), connectViewer(server.url), connectViewer(server.url)])).map(closeAfterTest);
    expect(server.liveGuard.openConnections('127.0.0.1')).toBe(3);

    const refused = closeAfterTest(connect(server.url, { transports: ['websocket'], forceNew: true, reconnection: false }));
    await new Promise<void>((resolve) => refused.once('connect_error', () => resolve()));
    await expect(openRawWebSocket(server.url)).rejects.toThrow('400 Bad Request: too many live connections from this address (at most 3)');
    const polling = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`);
    expect(polling.status).toBe(403);
    expect(await polling.json()).toEqual({ code: 4, message: 'too many live connections from this address (at most 3)' });
    // Without TRUST_PROXY a forwarded address is not believed: still 127.0.0.1, still full.
    await expect(openRawWebSocket(server.url, { headers: { 'X-Forwarded-For': '203.0.113.7' } })).rejects.toThrow('too many');

    three[0]!.disconnect();
    await waitFor(() => server.liveGuard.openConnections('127.0.0.1') === 2, 'the place to be freed');
    closeAfterTest(await connectViewer(server.url));
  });

  it('counts the forwarded address only behind a trusted proxy (TRUST_PROXY)', async () => {
    const server = await start({ maxConnectionsPerAddress: 2 }, { trustProxy: 'loopback' });
    const from = (address: string) => ({ 'X-Forwarded-For': `198.51.100.1, ${address}` });
    for (let i = 0; i < 2; i++) await rawViewer(server.url, from('203.0.113.7'));
    await expect(openRawWebSocket(server.url, { headers: from('203.0.113.7') })).rejects.toThrow('too many');
    await rawViewer(server.url, from('203.0.113.8'));
    await rawViewer(server.url);
    expect(server.liveGuard.openConnections('203.0.113.7')).toBe(2);
    expect(server.liveGuard.openConnections('203.0.113.8')).toBe(1);
    expect(server.liveGuard.openConnections('127.0.0.1')).toBe(1);
    // An IPv6 client is counted by its /64.
    await rawViewer(server.url, from('2001:db8:1:2::a'));
    await rawViewer(server.url, from('2001:db8:1:2::b'));
    await expect(openRawWebSocket(server.url, { headers: from('2001:db8:1:2:ffff::1') })).rejects.toThrow('too many');
  });

  it('answers a subscribe storm with rate_limited, closes a connection that keeps on, and lets a polite one go on', async () => {
    const server = await start({ eventsPerSecond: 5, eventBurst: 10 });
    const storm = closeAfterTest(await connectViewer(server.url));
    const answers = await Promise.all(Array.from({ length: 15 }, (_, i) => storm.emitWithAck('subscribe', { potId: i % 2 ? 'alpha' : `nope-${i}` })));
    const codes = answers.map((answer) => (answer.ok ? 'ok' : answer.error.code));
    expect(codes.slice(0, 10)).toEqual(['pot_not_found', 'ok', 'pot_not_found', 'ok', 'pot_not_found', 'ok', 'pot_not_found', 'ok', 'pot_not_found', 'ok']);
    expect(codes.slice(11)).toEqual(['rate_limited', 'rate_limited', 'rate_limited', 'rate_limited']);
    expect(answers[14]).toEqual({ ok: false, error: { code: 'rate_limited', message: 'too many messages: at most 5 per second' } });
    // Unknown pots leave no room behind.
    expect([...server.io.of('/').adapter.rooms.keys()].filter((room) => room.startsWith('pot:'))).toEqual(['pot:alpha']);

    const closed = new Promise<string>((resolve) => storm.once('disconnect', resolve));
    for (let i = 0; i < 20; i++) storm.emit('unsubscribe', { potId: 'alpha' });
    expect(await closed).toBe('transport close');

    const polite = closeAfterTest(await connectViewer(server.url));
    for (let i = 0; i < 10; i++) await polite.emitWithAck('subscribe', { potId: 'alpha' });
    await sleep(450);
    expect(await polite.emitWithAck('subscribe', { potId: 'alpha' })).toMatchObject({ ok: true });
  });

  it('closes a connection that sends a message over the size limit', async () => {
    const server = await start({});
    const { raw, sid } = await rawViewer(server.url);
    raw.send(`42["subscribe",{"potId":"${'a'.repeat(17 * 1024)}"}]`);
    await waitFor(() => !server.io.of('/').sockets.has(sid), 'the connection to be closed');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
