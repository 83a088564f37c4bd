import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AccountAdmin } from '../../server/moderation/account-admin.js';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { startTestServer, webhookPot } from '../helpers/server.js';
import { addUser, Client, FAST_SCRYPT, PASSWORD, signedIn, testClock } from '../helpers/moderation.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const FLAG = { from: '2019-01-10T00:00:00Z', to: '2019-01-10T06:00:00Z', reason: 'too_regular', published: false };

describe('accounts, sessions and CSRF', () => {
  async function start(moderation: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
    const server = closeAfterTest(
      await startTestServer({
        pots: [webhookPot('alpha')],
        moderation: { scryptCost: FAST_SCRYPT, ...moderation },
        ...extra,
      }),
    );
    await addUser(server, 'alice', 'moderator');
    await addUser(server, 'root', 'admin');
    return server;
  }

  it('signs in with an httpOnly, SameSite=Strict cookie whose token is stored only as a hash', async () => {
    const server = await start();
    const client = new Client(server.url);
    const answer = await client.signIn('Alice');
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ user: { name: 'alice', role: 'moderator' }, csrfToken: expect.any(String) });
    const cookie = answer.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^potwatch_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
    expect(cookie).toContain(`Max-Age=${12 * 3600}`);
    expect(cookie).not.toContain('Secure');
    expect(answer.headers.get('cache-control')).toBe('no-store');

    const token = client.cookie!.split('=')[1]!;
    const stored = server.db.prepare('SELECT token_hash FROM sessions').all() as { token_hash: string }[];
    expect(stored).toEqual([{ token_hash: createHash('sha256').update(token).digest('hex') }]);
    expect(JSON.stringify(server.db.prepare('SELECT * FROM sessions').all())).not.toContain(token);

    const session = await client.request('GET', '/api/session');
    expect(session.json).toEqual({ user: { name: 'alice', role: 'moderator' }, csrfToken: client.csrfToken });
    expect((await new Client(server.url).request('GET', '/api/session')).json).toEqual({ user: null });
  });

  it('answers a wrong password and an unknown name with the same 401', async () => {
    const server = await start();
    const wrongPassword = await new Client(server.url).signIn('alice', 'not the password at all');
    const unknownName = await new Client(server.url).signIn('mallory', 'not the password at all');
    expect(wrongPassword.status).toBe(401);
    expect(unknownName.status).toBe(401);
    expect(unknownName.json).toEqual(wrongPassword.json);
    expect(wrongPassword.json).toEqual({ error: { code: 'invalid_credentials', message: 'wrong name or password' } });
    expect(wrongPassword.headers.get('set-cookie')).toBeNull();
  });

  it('takes as long to refuse an unknown name as a wrong password (a full hash either way)', async () => {
    // A cost high enough that skipping the hash would show: ~20 ms per verification.
    const server = await start({ scryptCost: { N: 2 ** 14, r: 8, p: 1 }, accountLimits: { maxFailures: 100 }, addressLimits: { maxFailures: 100 } });
    const time = async (name: string) => {
      const started = performance.now();
      await new Client(server.url).signIn(name, 'wrong password, long enough');
      return performance.now() - started;
    };
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 7; i++) {
      known.push(await time('alice'));
      unknown.push(await time(`nobody-${i}`));
    }
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.5);
    expect(median(known)).toBeGreaterThan(median(unknown) * 0.5);
  });

  it('refuses malformed sign-in requests, naming the field', async () => {
    const server = await start();
    const client = new Client(server.url);
    expect((await client.request('POST', '/api/session', { password: PASSWORD })).json.error).toMatchObject({ field: 'name' });
    expect((await client.request('POST', '/api/session', { name: 'alice', password: 42 })).json.error).toMatchObject({
      field: 'password',
    });
    expect((await client.request('POST', '/api/session', '{"name":', {})).status).toBe(400);
    const form = await client.request('POST', '/api/session', 'name=alice', {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    expect((await client.request('POST', '/api/session', { name: 'alice', password: 'x'.repeat(70_000) })).status).toBe(413);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('needs a session for changes (401) and the session’s own CSRF token (403)', async () => {
    const server = await start();
    const anonymous = new Client(server.url);
    expect((await anonymous.request('POST', '/api/pots/alpha/flags', FLAG)).status).toBe(401);
    expect((await anonymous.request('POST', '/api/pots/alpha/flags', FLAG, { csrf: 'made-up' })).status).toBe(401);
    expect((await anonymous.request('DELETE', '/api/session')).status).toBe(401);

    const alice = await signedIn(server, 'alice');
    const root = await signedIn(server, 'root');
    const missing = await alice.request('POST', '/api/pots/alpha/flags', FLAG, { csrf: null });
    expect(missing.status).toBe(403);
    expect(missing.json.error.code).toBe('bad_csrf_token');
    expect((await alice.request('POST', '/api/pots/alpha/flags', FLAG, { csrf: 'x'.repeat(43) })).status).toBe(403);
    expect((await alice.request('POST', '/api/pots/alpha/flags', FLAG, { csrf: root.csrfToken! })).status).toBe(403);
    expect((await alice.request('DELETE', '/api/session', undefined, { csrf: null })).status).toBe(403);
    expect(server.db.prepare('SELECT count(*) AS n FROM flags').get()).toEqual({ n: 0 });

    expect((await alice.request('POST', '/api/pots/alpha/flags', FLAG)).status).toBe(201);
    const asText = await alice.request('POST', '/api/pots/alpha/flags', JSON.stringify(FLAG), {
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(asText.status).toBe(415);
  });

  it('lets only admins read the audit trail', async () => {
    const server = await start();
    expect((await new Client(server.url).request('GET', '/api/audit')).status).toBe(401);
    const alice = await signedIn(server, 'alice');
    const forbidden = await alice.request('GET', '/api/audit');
    expect(forbidden.status).toBe(403);
    expect(forbidden.json.error.code).toBe('forbidden');
    const root = await signedIn(server, 'root');
    const audit = await root.request('GET', '/api/audit');
    expect(audit.status).toBe(200);
    expect(audit.headers.get('cache-control')).toBe('private, no-store');
    expect(audit.json.entries.map((entry: { action: string }) => entry.action)).toEqual([
      'session.login',
      'session.login',
      'user.add',
      'user.add',
    ]);
    expect((await root.request('GET', '/api/audit?limit=0')).json.error.field).toBe('limit');
  });

  it('signs out: the cookie is cleared and the old token opens nothing', async () => {
    const server = await start();
    const alice = await signedIn(server, 'alice');
    const oldCookie = alice.cookie;
    const answer = await alice.request('DELETE', '/api/session');
    expect(answer.status).toBe(204);
    expect(answer.headers.get('set-cookie')).toMatch(/^potwatch_session=;.*Expires=Thu, 01 Jan 1970/);
    const replay = new Client(server.url);
    replay.cookie = oldCookie;
    replay.csrfToken = alice.csrfToken;
    expect((await replay.request('GET', '/api/session')).json).toEqual({ user: null });
    expect((await replay.request('POST', '/api/pots/alpha/flags', FLAG)).status).toBe(401);
    expect(server.db.prepare('SELECT count(*) AS n FROM sessions').get()).toEqual({ n: 0 });
  });

  it('ends a session after an idle hour', async () => {
    const clock = testClock();
    const server = await start({ now: clock.now });
    const alice = await signedIn(server, 'alice');
    clock.advance(59 * MINUTE);
    expect((await alice.request('GET', '/api/session')).json.user).toEqual({ name: 'alice', role: 'moderator' });
    clock.advance(59 * MINUTE);
    expect((await alice.request('POST', '/api/pots/alpha/flags', FLAG)).status).toBe(201);
    clock.advance(HOUR);
    expect((await alice.request('POST', '/api/pots/alpha/flags', FLAG)).status).toBe(401);
    expect((await alice.request('GET', '/api/session')).json).toEqual({ user: null });
  });

  it('ends a session twelve hours after sign-in however active it is', async () => {
    const clock = testClock();
    const server = await start({ now: clock.now });
    const alice = await signedIn(server, 'alice');
    for (let elapsed = 0; elapsed < 11.5 * HOUR; elapsed += 30 * MINUTE) {
      clock.advance(30 * MINUTE);
      expect((await alice.request('GET', '/api/session')).json.user).not.toBeNull();
    }
    clock.advance(30 * MINUTE);
    expect((await alice.request('POST', '/api/pots/alpha/flags', FLAG)).status).toBe(401);
  });

  it('locks an account name out after five failures, with a backoff that doubles', async () => {
    const clock = testClock();
    const server = await start({ now: clock.now });
    const client = new Client(server.url);
    for (let i = 0; i < 5; i++) expect((await client.signIn('alice', 'wrong password guess')).status).toBe(401);
    const locked = await client.signIn('alice');
    expect(locked.status).toBe(429);
    expect(locked.json.error.code).toBe('too_many_attempts');
    expect(locked.headers.get('retry-after')).toBe('30');
    clock.advance(30_000);
    for (let i = 0; i < 5; i++) expect((await client.signIn('alice', 'wrong password guess')).status).toBe(401);
    expect((await client.signIn('alice')).headers.get('retry-after')).toBe('60');
    clock.advance(60_000);
    expect((await client.signIn('alice')).status).toBe(200);
    expect((await client.signIn('root')).status).toBe(200);
  });

  it('locks out unknown names exactly like real ones, so lockouts reveal nothing', async () => {
    const server = await start();
    const client = new Client(server.url);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await client.signIn('mallory', 'wrong password guess')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('counts parallel guesses before hashing, so a burst cannot slip past the limit', async () => {
    const server = await start();
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => new Client(server.url).signIn('alice', 'wrong password guess')),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses.filter((status) => status === 401)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(7);
  });

  it('locks out an address trying many names, whichever name comes next', async () => {
    const server = await start({}, { trustProxy: 'loopback' });
    const attacker = new Client(server.url, { 'X-Forwarded-For': '198.51.100.9' });
    for (let i = 0; i < 20; i++) expect((await attacker.signIn(`name-${i}`, 'wrong password guess')).status).toBe(401);
    expect((await attacker.signIn('alice')).status).toBe(429);
    const neighbour = new Client(server.url, { 'X-Forwarded-For': '198.51.100.10' });
    expect((await neighbour.signIn('alice')).status).toBe(200);
  });

  it('behind an https proxy, sets a Secure __Host- cookie', async () => {
    const server = await start({}, { trustProxy: 'loopback' });
    const client = new Client(server.url, { 'X-Forwarded-Proto': 'https' });
    const answer = await client.signIn('alice');
    const cookie = answer.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^__Host-potwatch_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('Secure');
    expect(cookie).toContain('HttpOnly');
    expect((await client.request('POST', '/api/pots/alpha/flags', FLAG)).status).toBe(201);
  });

  it('closes every session of an account whose password changes or which is removed', async () => {
    const server = await start();
    const alice = await signedIn(server, 'alice');
    const root = await signedIn(server, 'root');
    const admin = new AccountAdmin(server.db, server.moderation.hasher);
    await admin.setPassword('alice', 'a brand new password');
    expect((await alice.request('GET', '/api/session')).json).toEqual({ user: null });
    expect((await new Client(server.url).signIn('alice')).status).toBe(401);
    expect((await new Client(server.url).signIn('alice', 'a brand new password')).status).toBe(200);
    admin.remove('root');
    expect((await root.request('GET', '/api/audit')).status).toBe(401);
  });
});
