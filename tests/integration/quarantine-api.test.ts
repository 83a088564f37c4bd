import { describe, expect, it } from 'vitest';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { addUser, Client, FAST_SCRYPT, signedIn } from '../helpers/moderation.js';
import { postReadings, startTestServer, webhookPot } from '../helpers/server.js';

const T0 = Date.UTC(2019, 0, 10, 6, 0);
const MINUTE = 60_000;
const at = (minute: number) => new Date(T0 + minute * MINUTE).toISOString();

describe('GET /api/pots/:id/quarantine: what the guard held back, for moderators', () => {
  it('lists held readings with their reason and raw value, newest first, to moderators only', async () => {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')], moderation: { scryptCost: FAST_SCRYPT } }));
    await addUser(server, 'alice', 'moderator');
    const rising = Array.from({ length: 10 }, (_, minute) => ({ at: at(minute), amount: 1_000_000 + minute * 100, contributors: 50_000 + minute }));
    await postReadings(server.url, 'alpha', rising);
    await postReadings(server.url, 'alpha', { at: at(10), amount: '14000.50', contributors: 50_010 });
    await postReadings(server.url, 'alpha', { at: at(11), amount: '14001.50', contributors: 50_011 });

    const anonymous = await new Client(server.url).request('GET', '/api/pots/alpha/quarantine');
    expect(anonymous.status).toBe(401);

    const alice = await signedIn(server, 'alice');
    const answer = await alice.request('GET', '/api/pots/alpha/quarantine?status=held');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('private, no-store');
    expect(answer.json.next).toBeNull();
    expect(answer.json.readings).toEqual([
      expect.objectContaining({ at: T0 + 11 * MINUTE, amountMinor: 1_400_150, status: 'held', reasonCode: 'decrease' }),
      expect.objectContaining({
        at: T0 + 10 * MINUTE,
        amountMinor: 1_400_050,
        contributors: 50_010,
        status: 'held',
        reasonCode: 'decrease',
        reason: 'amount went down from 1000900.00 EUR to 14000.50 EUR',
        raw: JSON.stringify({ at: at(10), amount: '14000.50', contributors: 50_010 }),
        origin: 'webhook',
      }),
    ]);

    const firstPage = await alice.request('GET', '/api/pots/alpha/quarantine?limit=1');
    expect(firstPage.json.readings).toHaveLength(1);
    const secondPage = await alice.request('GET', `/api/pots/alpha/quarantine?limit=1&before=${firstPage.json.next}`);
    expect(secondPage.json.readings[0].at).toBe(T0 + 10 * MINUTE);
  });

  it('names the bad field and the unknown pot', async () => {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')], moderation: { scryptCost: FAST_SCRYPT } }));
    await addUser(server, 'alice', 'moderator');
    const alice = await signedIn(server, 'alice');
    expect((await alice.request('GET', '/api/pots/alpha/quarantine?status=lost')).json).toMatchObject({
      error: { code: 'invalid_query', field: 'status' },
    });
    expect((await alice.request('GET', '/api/pots/alpha/quarantine?limit=0')).json).toMatchObject({ error: { field: 'limit' } });
    expect((await alice.request('GET', '/api/pots/nope/quarantine')).status).toBe(404);
  });
});
