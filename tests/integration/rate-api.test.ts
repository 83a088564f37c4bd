import { describe, expect, it } from 'vitest';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { postReadings, startTestServer, webhookPot } from '../helpers/server.js';

const T0 = Date.UTC(2019, 0, 9, 22, 0);
const MINUTE = 60_000;

describe('GET /api/pots/:id/rate', () => {
  it('answers what was raised and joined per bucket, adding up to the rise of the series', async () => {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')] }));
    const readings = Array.from({ length: 180 }, (_, i) => ({ at: T0 + i * MINUTE, amount: 1000 + i * 12.5 + (i > 120 ? 400 : 0), contributors: 10 + i }));
    expect((await postReadings(server.url, 'alpha', readings)).status).toBe(200);

    const answer = await fetch(`${server.url}/api/pots/alpha/rate?bucket=15m`);
    expect(answer.headers.get('cache-control')).toBe('public, max-age=2');
    const body = await answer.json();
    expect(body.potId).toBe('alpha');
    expect(body.bucket).toBe('15m');
    expect(body.rows).toHaveLength(12);
    expect(body.rows[0][0]).toBe(T0);
    const series: Array<[number, number, number]> = (await (await fetch(`${server.url}/api/pots/alpha/series`)).json()).points;
    const rise = series.at(-1)![1] - series[0]![1];
    expect(body.rows.reduce((sum: number, row: [number, number, number]) => sum + row[1], 0)).toBe(rise);
    expect(body.rows.reduce((sum: number, row: [number, number, number]) => sum + row[2], 0)).toBe(179);
    // The jump at the 121st minute shows in its bucket.
    expect(body.rows[8]).toEqual([T0 + 120 * MINUTE, 15 * 1250 + 40_000, 15]);

    const hour = (await (await fetch(`${server.url}/api/pots/alpha/rate?bucket=1h&from=${T0 + 60 * MINUTE}&to=${T0 + 119 * MINUTE}`)).json()).rows;
    expect(hour).toEqual([[T0 + 60 * MINUTE, 60 * 1250, 60]]);
  });

  it.each([
    ['bucket=2m', 'bucket'],
    [`from=${T0 + 1000}&to=${T0}`, 'from'],
    [`bucket=5m&from=${T0 - 365 * 86_400_000}&to=${T0}`, 'bucket'],
    ['from=yesterday', 'from'],
  ])('refuses ?%s naming the field %s', async (query, field) => {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')] }));
    await postReadings(server.url, 'alpha', { at: T0, amount: 1, contributors: 1 });
    const answer = await fetch(`${server.url}/api/pots/alpha/rate?${query}`);
    expect(answer.status).toBe(400);
    expect((await answer.json()).error.field).toBe(field);
    expect((await fetch(`${server.url}/api/pots/nope/rate`)).status).toBe(404);
  });
});
