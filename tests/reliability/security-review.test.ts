import { createServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { listenOnLoopback } from '../helpers/loopback-server.js';
import { addUser, Client, FAST_SCRYPT, PASSWORD, signedIn } from '../helpers/moderation.js';
import { startPotPlatform } from '../helpers/pot-platform.js';
import { startTestServer, webhookPot } from '../helpers/server.js';

/**
 * The attacks of the security review (RELIABILITY.md, "Security review"), each tried against
 * a real server: what must stop it is asserted, not assumed.
 */
describe('security review: attacks tried', () => {
  async function start(options: Partial<Parameters<typeof startTestServer>[0]> = {}) {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')], moderation: { scryptCost: FAST_SCRYPT }, ...options }));
    await addUser(server, 'alice', 'moderator');
    await addUser(server, 'ada', 'admin');
    await addUser(server, 'bob', 'admin');
    return server;
  }

  it('server-side request forgery: loopback written in other ways is refused with the reason, and nothing is fetched', async () => {
    const platform = closeAfterTest(await startPotPlatform());
    const port = new URL(platform.url).port;
    const server = await start();
    const disguised = [
      `http://2130706433:${port}/static/soutien`,
      `http://0x7f000001:${port}/static/soutien`,
      `http://127.1:${port}/static/soutien`,
      `http://[::ffff:127.0.0.1]:${port}/static/soutien`,
      `http://localhost.:${port}/static/soutien`,
      `http://[::]:${port}/static/soutien`,
    ];
    // Previews are limited per admin: two admins share the attempts.
    const admins = [await signedIn(server, 'ada'), await signedIn(server, 'bob')];
    for (const [index, url] of disguised.entries()) {
      const answer = await admins[index % 2]!.request('POST', '/api/sources/preview', { source: { kind: 'html', url, render: 'static' } });
      expect({ url, status: answer.status }).toEqual({ url, status: 422 });
      expect(answer.json.error.message, url).toMatch(/is an? (loopback|unspecified) address; an admin may allow it with SOURCES_ALLOW_HOSTS|localhost\. cannot be found/);
    }
    expect(platform.hits.size).toBe(0);
  });

  it('server-side request forgery through the page renderer: a page of an allowed host cannot make Chromium reach a refused one', async () => {
    // What the page's script aims at: another loopback address, which the policy refuses.
    let connections = 0;
    const target = createTcpServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.2', resolve));
    const targetPort = (target.address() as AddressInfo).port;
    closeAfterTest({ close: () => new Promise<void>((resolve) => target.close(() => resolve())) });
    const page = closeAfterTest(
      await listenOnLoopback(
        createServer((_req, res) => {
          res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
          res.end(`<!doctype html><title>Cagnotte</title><div id="pot"></div><script>
            const aim = '127.0.0.2:${targetPort}';
            fetch('http://' + aim + '/steal').catch(() => {});
            try { new WebSocket('ws://' + aim + '/'); } catch {}
            new Image().src = 'http://' + aim + '/pixel';
            const frame = document.createElement('iframe'); frame.src = 'http://' + aim + '/frame'; document.body.append(frame);
            setTimeout(() => { document.getElementById('pot').innerHTML = '<p class="amount">1 234,00 €</p><p class="count">56 participants</p>'; }, 300);
          </script>`);
        }),
      ),
    );
    const server = await start({ sourcesAllowHosts: ['localhost'] });
    const admin = await signedIn(server, 'ada');
    const url = `http://localhost:${new URL(page.url).port}/`;
    const preview = await admin.request('POST', '/api/sources/preview', { source: { kind: 'html', url, render: 'browser', amount: '.amount', contributors: '.count' } });
    expect(preview.status).toBe(200);
    expect(preview.json).toMatchObject({ amount: 1234, contributors: 56 });
    expect(connections).toBe(0);
  });

  it('session fixation: a session token planted in the browser before sign-in is never the one after it', async () => {
    const server = await start();
    // The attacker signs in to their own account and plants that cookie in the victim's browser.
    const attacker = await signedIn(server, 'alice');
    const victim = new Client(server.url);
    victim.cookie = attacker.cookie;
    const answer = await victim.signIn('ada');
    expect(answer.status).toBe(200);
    expect(victim.cookie).not.toBe(attacker.cookie);
    expect((await attacker.request('GET', '/api/session')).json.user).toBeNull();
    // A token the attacker made up is not adopted either: the server always mints the token.
    const planted = new Client(server.url);
    planted.cookie = `potwatch_session=${'A'.repeat(43)}`;
    await planted.signIn('ada');
    expect(planted.cookie).not.toContain('A'.repeat(43));
  });

  it('login CSRF: a cross-site form cannot sign a browser in to an attacker’s account', async () => {
    const server = await start();
    for (const path of ['/api/session', '/api/session/passkey']) {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
        const answer = await new Client(server.url).request('POST', path, JSON.stringify({ name: 'alice', password: PASSWORD }), { headers: { 'Content-Type': type } });
        expect({ path, type, status: answer.status, cookie: answer.headers.get('set-cookie') }).toEqual({ path, type, status: 415, cookie: null });
      }
    }
  });

  it('cookie flags: Secure and __Host- only when a trusted proxy says https; a forged header from anyone else changes nothing', async () => {
    const direct = await start();
    const forged = await new Client(direct.url, { 'X-Forwarded-Proto': 'https' }).signIn('alice');
    expect(forged.headers.get('set-cookie')).toMatch(/^potwatch_session=[^;]+; Max-Age=\d+; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Strict$/);
    expect(forged.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);

    const proxied = await start({ trustProxy: 'loopback' });
    const secure = new Client(proxied.url, { 'X-Forwarded-Proto': 'https' });
    const cookie = (await secure.signIn('alice')).headers.get('set-cookie')!;
    expect(cookie).toMatch(/^__Host-potwatch_session=[^;]+;.*Path=\/;.*HttpOnly; Secure; SameSite=Strict$/);
    expect(cookie).not.toMatch(/Domain=/);
    // Over plain http the __Host- cookie is not read: a network attacker cannot ride on it.
    const downgraded = new Client(proxied.url);
    downgraded.cookie = secure.cookie;
    expect((await downgraded.request('GET', '/api/session')).json.user).toBeNull();
  });

  it('costly public routes are rate-limited per address: a history export, passkey challenges', async () => {
    const server = await start();
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await fetch(`${server.url}/api/pots/alpha/export.csv`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
    const challenges: number[] = [];
    for (let i = 0; i < 12; i++) challenges.push((await fetch(`${server.url}/api/session/passkey/options`, { method: 'POST' })).status);
    expect(challenges.filter((status) => status === 429)).toHaveLength(2);
    const limited = await fetch(`${server.url}/api/session/passkey/options`, { method: 'POST' });
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(await limited.json()).toMatchObject({ error: { code: 'rate_limited' } });
  });
});
