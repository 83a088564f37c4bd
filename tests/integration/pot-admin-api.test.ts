import { describe, expect, it } from 'vitest';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { addUser, Client, FAST_SCRYPT, signedIn } from '../helpers/moderation.js';
import { startPotPlatform } from '../helpers/pot-platform.js';
import { postReadings, startTestServer, webhookPot, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait-for.js';

async function adminServer(options: Parameters<typeof startTestServer>[0] = { pots: [] }, databasePath?: string) {
  const server = closeAfterTest(await startTestServer({ moderation: { scryptCost: FAST_SCRYPT }, ...options }, databasePath));
  if (!databasePath) {
    await addUser(server, 'ada', 'admin');
    await addUser(server, 'mo', 'moderator');
  }
  return server;
}

const WEBHOOK_POT = { id: 'entraide', title: 'Entraide', currency: 'EUR', goal: 5000, source: { kind: 'webhook' } };

async function listed(server: TestServer, query = ''): Promise<string[]> {
  return ((await (await fetch(`${server.url}/api/pots${query}`)).json()) as Array<{ id: string }>).map((pot) => pot.id);
}

describe('pot management API', () => {
  it('lets only admins change pots, with the CSRF token', async () => {
    const server = await adminServer({ pots: [webhookPot('filed')] });
    const anonymous = new Client(server.url);
    const moderator = await signedIn(server, 'mo');
    const admin = await signedIn(server, 'ada');
    const calls: Array<[string, string, unknown]> = [
      ['POST', '/api/pots', WEBHOOK_POT],
      ['PATCH', '/api/pots/filed', { title: 'x' }],
      ['DELETE', '/api/pots/filed', undefined],
      ['POST', '/api/sources/preview', { source: { kind: 'html', url: 'https://example.org/' } }],
      ['GET', '/api/admin/pots', undefined],
    ];
    for (const [method, path, body] of calls) {
      expect((await anonymous.request(method, path, body)).status, `${method} ${path} anonymous`).toBe(401);
      expect((await moderator.request(method, path, body)).status, `${method} ${path} moderator`).toBe(403);
      if (method !== 'GET') expect((await admin.request(method, path, body, { csrf: null })).status, `${method} ${path} without CSRF`).toBe(403);
    }
    expect(await listed(server)).toEqual(['filed']);
  });

  it('creates a webhook pot with a secret shown once, which signs its readings, and keeps it across a restart', async () => {
    const server = await adminServer();
    const admin = await signedIn(server, 'ada');
    const created = await admin.request('POST', '/api/pots', WEBHOOK_POT);
    expect(created.status).toBe(201);
    expect(created.json.pot).toMatchObject({ id: 'entraide', title: 'Entraide', goal: 5000, origin: 'api', paused: false, archived: false, source: { kind: 'webhook' } });
    const secret: string = created.json.secret;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(JSON.stringify(created.json.pot)).not.toContain(secret);

    expect(await listed(server)).toEqual(['entraide']);
    expect((await postReadings(server.url, 'entraide', { at: Date.now() - 1000, amount: 10, contributors: 1 }, secret)).status).toBe(200);
    expect((await postReadings(server.url, 'entraide', { amount: 11, contributors: 2 }, 'not-the-secret-0123456789')).status).toBe(401);

    const admins = await admin.request('GET', '/api/admin/pots');
    expect(JSON.stringify(admins.json)).not.toContain(secret);
    const audit = await admin.request('GET', '/api/audit');
    expect(audit.json.entries[0]).toMatchObject({ actor: 'ada', action: 'pot.create', potId: 'entraide' });
    expect(JSON.stringify(audit.json)).not.toContain(secret);

    const { databasePath } = server;
    await server.close();
    const again = await adminServer({ pots: [] }, databasePath);
    expect(await listed(again)).toEqual(['entraide']);
    expect((await postReadings(again.url, 'entraide', { amount: 12, contributors: 3 }, secret)).status).toBe(200);
    expect((await (await fetch(`${again.url}/api/pots/entraide`)).json()).latest).toMatchObject({ amountMinor: 1200, contributors: 3 });
  });

  it('refuses a taken id with 409 and a malformed pot with 400 naming the field, storing nothing', async () => {
    const server = await adminServer({ pots: [webhookPot('filed')] });
    const admin = await signedIn(server, 'ada');
    expect((await admin.request('POST', '/api/pots', { ...WEBHOOK_POT, id: 'filed' })).status).toBe(409);
    const cases: Array<[unknown, string]> = [
      [{ ...WEBHOOK_POT, id: 'Bad Id' }, 'id'],
      [{ ...WEBHOOK_POT, title: '' }, 'title'],
      [{ ...WEBHOOK_POT, currency: 'EURO' }, 'currency'],
      [{ ...WEBHOOK_POT, goal: -5 }, 'goal'],
      [{ ...WEBHOOK_POT, source: { kind: 'webhook', secret: 'short' } }, 'source.secret'],
      [{ ...WEBHOOK_POT, source: { kind: 'html', url: 'ftp://example.org/' } }, 'source.url'],
      [{ ...WEBHOOK_POT, source: { kind: 'html', url: 'https://example.org/', amount: 'div[' } }, 'source.amount'],
      [{ ...WEBHOOK_POT, source: { kind: 'html', url: 'https://example.org/', render: 'sometimes' } }, 'source.render'],
      [{ ...WEBHOOK_POT, source: { kind: 'carrier-pigeon' } }, 'source.kind'],
    ];
    for (const [body, field] of cases) {
      const answer = await admin.request('POST', '/api/pots', body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.json.error.field).toBe(field);
    }
    expect(await listed(server)).toEqual(['filed']);
  });

  it('changes, pauses and resumes a pot without a restart; leaves file pots to the file', async () => {
    const server = await adminServer({ pots: [webhookPot('filed')] });
    const admin = await signedIn(server, 'ada');
    const { secret } = (await admin.request('POST', '/api/pots', WEBHOOK_POT)).json;

    const changed = await admin.request('PATCH', '/api/pots/entraide', { title: 'Entraide 2026', goal: null, platform: 'Leetchi' });
    expect(changed.status).toBe(200);
    const pot = await (await fetch(`${server.url}/api/pots/entraide`)).json();
    expect(pot).toMatchObject({ title: 'Entraide 2026', source: { platform: 'Leetchi' } });
    expect(pot.goal).toBeUndefined();

    expect((await admin.request('PATCH', '/api/pots/entraide', { paused: true })).json.pot).toMatchObject({ paused: true, status: 'paused' });
    const refused = await postReadings(server.url, 'entraide', { amount: 10, contributors: 1 }, secret);
    expect(refused).toMatchObject({ status: 409, json: { error: { code: 'pot_paused' } } });
    await admin.request('PATCH', '/api/pots/entraide', { paused: false });
    expect((await postReadings(server.url, 'entraide', { amount: 10, contributors: 1 }, secret)).status).toBe(200);

    expect((await admin.request('PATCH', '/api/pots/entraide', { colour: 'red' })).json.error.field).toBe('colour');
    expect((await admin.request('PATCH', '/api/pots/entraide', { source: { staleAfterSeconds: 1 } })).json.error.field).toBe('source.staleAfterSeconds');
    expect((await admin.request('PATCH', '/api/pots/filed', { title: 'x' })).json.error.code).toBe('pot_in_file');
    expect((await admin.request('DELETE', '/api/pots/filed')).status).toBe(409);
    expect((await admin.request('PATCH', '/api/pots/nowhere', { title: 'x' })).status).toBe(404);
    const actions = (await admin.request('GET', '/api/audit?potId=entraide')).json.entries.map((entry: { action: string }) => entry.action);
    expect(actions).toEqual(['pot.resume', 'pot.pause', 'pot.update', 'pot.create']);
  });

  it('archives a pot: no longer listed or fed, its history still readable', async () => {
    const server = await adminServer();
    const admin = await signedIn(server, 'ada');
    const { secret } = (await admin.request('POST', '/api/pots', WEBHOOK_POT)).json;
    await postReadings(server.url, 'entraide', { at: Date.now() - 5000, amount: 10, contributors: 1 }, secret);
    expect((await admin.request('DELETE', '/api/pots/entraide')).status).toBe(200);
    expect(await listed(server)).toEqual([]);
    expect(await listed(server, '?archived=1')).toEqual(['entraide']);
    expect((await (await fetch(`${server.url}/api/pots/entraide`)).json()).status).toBe('paused');
    expect((await (await fetch(`${server.url}/api/pots/entraide/series`)).json()).points).toHaveLength(1);
    expect((await postReadings(server.url, 'entraide', { amount: 20, contributors: 2 }, secret)).json.error.code).toBe('pot_archived');
    expect((await admin.request('PATCH', '/api/pots/entraide', { title: 'back' })).json.error.code).toBe('pot_archived');
    expect((await admin.request('POST', '/api/pots', WEBHOOK_POT)).status).toBe(409);
  });

  it('polls a page source made through the API at once, and follows a change of its address', async () => {
    const platform = closeAfterTest(await startPotPlatform());
    platform.give('Marie', 50);
    const server = await adminServer({ pots: [], sourcesAllowHosts: ['127.0.0.1'] });
    const admin = await signedIn(server, 'ada');
    const created = await admin.request('POST', '/api/pots', {
      id: 'soutien',
      title: 'Soutien',
      source: { kind: 'html', url: `${platform.servedPage}?v=1`, everySeconds: 0.2, timeoutSeconds: 2 },
    });
    expect(created.status).toBe(201);
    await waitFor(() => server.states.latest('soutien')?.amountMinor === 5000, 'the first reading');

    const other = closeAfterTest(await startPotPlatform());
    other.give('Paul', 20);
    other.give('Léa', 35);
    await admin.request('PATCH', '/api/pots/soutien', { source: { url: other.servedPage } });
    await waitFor(() => server.states.latest('soutien')?.amountMinor === 5500, 'a reading from the new address');
    const hitsBefore = platform.hits.get('/static/soutien') ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(platform.hits.get('/static/soutien') ?? 0).toBe(hitsBefore);
  });

  it('refuses sources and previews aimed at this machine or its network unless their host is allowed', async () => {
    const platform = closeAfterTest(await startPotPlatform());
    platform.give('Marie', 50);
    const port = new URL(platform.url).port;
    const server = await adminServer();
    const admin = await signedIn(server, 'ada');
    const refused = [
      platform.servedPage,
      `http://localhost:${port}/static/soutien`,
      'http://169.254.169.254/latest/meta-data/',
      `http://[::1]:${port}/static/soutien`,
      'http://10.0.0.1/',
      'http://192.168.1.1/',
      'http://0.0.0.0/',
    ];
    // Previews are rate-limited per admin: the first few are tried as previews, all as pots.
    for (const url of refused.slice(0, 3)) {
      const preview = await admin.request('POST', '/api/sources/preview', { source: { kind: 'html', url } });
      expect(preview.status, url).toBe(422);
      expect(preview.json.error.message, url).toMatch(/may not be read: .* is a (loopback|link-local) address; an admin may allow it with SOURCES_ALLOW_HOSTS/);
    }
    for (const url of refused) {
      const created = await admin.request('POST', '/api/pots', { id: 'nope', title: 'Nope', source: { kind: 'html', url } });
      expect(created.status, url).toBe(422);
      expect(created.json.error, url).toMatchObject({ code: 'address_refused', field: 'source.url' });
    }
    expect(platform.hits.size).toBe(0);
    expect(await listed(server)).toEqual([]);
  });

  it('refuses a redirect from an allowed host to one that is not', async () => {
    const platform = closeAfterTest(await startPotPlatform());
    const server = await adminServer({ pots: [], sourcesAllowHosts: ['localhost'] });
    const admin = await signedIn(server, 'ada');
    const { createServer } = await import('node:http');
    const { listenOnLoopback } = await import('../helpers/loopback-server.js');
    const redirector = closeAfterTest(
      await listenOnLoopback(
        createServer((_req, res) => {
          res.writeHead(302, { location: `http://127.0.0.2:${new URL(platform.url).port}/static/soutien` });
          res.end();
        }),
      ),
    );
    const preview = await admin.request('POST', '/api/sources/preview', {
      source: { kind: 'html', url: `http://localhost:${new URL(redirector.url).port}/`, render: 'static' },
    });
    expect(preview.status).toBe(422);
    expect(preview.json.error.message).toMatch(/127\.0\.0\.2 is a loopback address/);
    expect(platform.hits.size).toBe(0);
  });
});
