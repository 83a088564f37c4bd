import { describe, expect, it } from 'vitest';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { connectViewer, nextEvent, postReadings, startTestServer, webhookPot } from '../helpers/server.js';

const T0 = Date.UTC(2019, 0, 10, 2, 0);
const TOKEN = 'metrics-token-0123456789';

describe('/metrics', () => {
  it('tells viewers, broadcasts, readings, ingest time, pot statuses and process figures to this machine', async () => {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha'), webhookPot('beta')] }));
    const viewers = (await Promise.all([connectViewer(server.url), connectViewer(server.url)])).map(closeAfterTest);
    for (const viewer of viewers) await viewer.emitWithAck('subscribe', { potId: 'alpha' });
    const received = nextEvent(viewers[0]!, 'reading');
    await postReadings(server.url, 'alpha', [
      { at: T0, amount: 10, contributors: 1 },
      { at: T0 + 60_000, amount: 25, contributors: 2 },
    ]);
    await postReadings(server.url, 'alpha', { at: T0, amount: 10, contributors: 1 });
    await received;

    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const text = await response.text();
    expect(text).toMatch(/^potwatch_viewers_connected 2$/m);
    expect(text).toMatch(/^potwatch_pot_viewers\{pot="alpha"\} 2$/m);
    expect(text).toMatch(/^potwatch_pot_viewers\{pot="beta"\} 0$/m);
    expect(text).toMatch(/^potwatch_broadcasts_total\{event="reading"\} 1$/m);
    expect(text).toMatch(/^potwatch_readings_accepted_total\{pot="alpha"\} 2$/m);
    expect(text).toMatch(/^potwatch_readings_duplicate_total\{pot="alpha"\} 1$/m);
    expect(text).toMatch(/^potwatch_ingest_duration_seconds_count\{pot="alpha"\} 2$/m);
    expect(text).toMatch(/^potwatch_pot_status\{pot="alpha",status="live"\} 1$/m);
    expect(text).toMatch(/^potwatch_pot_status\{pot="beta",status="stale"\} 1$/m);
    expect(text).toMatch(new RegExp(`^potwatch_pot_last_reading_timestamp_seconds\\{pot="alpha"\\} ${(T0 + 60_000) / 1000}$`, 'm'));
    expect(text).toMatch(/^process_resident_memory_bytes \d+$/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });

  it('refuses a request relayed by a reverse proxy on this machine', async () => {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')] }));
    for (const header of ['X-Forwarded-For', 'Forwarded', 'X-Real-IP']) {
      const response = await fetch(`${server.url}/metrics`, { headers: { [header]: 'for=203.0.113.9' } });
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: 'metrics_forbidden' } });
    }
  });

  it('asks for the bearer token when one is configured, even on this machine', async () => {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')], metricsToken: TOKEN }));
    const refused: Array<Record<string, string>> = [{}, { Authorization: 'Bearer wrong-token-0123456789' }, { Authorization: TOKEN }];
    for (const headers of refused) {
      const response = await fetch(`${server.url}/metrics`, { headers });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: 'metrics_token_required' } });
    }
    const allowed = await fetch(`${server.url}/metrics`, {
      headers: { Authorization: `Bearer ${TOKEN}`, 'X-Forwarded-For': '203.0.113.9' },
    });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toMatch(/^potwatch_viewers_connected 0$/m);
  });
});
