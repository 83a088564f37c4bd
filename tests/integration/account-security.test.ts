import { describe, expect, it } from 'vitest';
import { totpCode } from '../../server/moderation/totp.js';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { addUser, Client, FAST_SCRYPT, PASSWORD, signedIn, testClock } from '../helpers/moderation.js';
import { startTestServer, webhookPot } from '../helpers/server.js';

const SECOND = 1000;
const WRONG = 'wrong password guess';

describe('account security: sign-in throttling, second factors, sessions, accounts', () => {
  async function start(options: { trustProxy?: 'loopback'; clock?: ReturnType<typeof testClock> } = {}) {
    const clock = options.clock ?? testClock();
    const server = closeAfterTest(
      await startTestServer({
        pots: [webhookPot('alpha')],
        moderation: { scryptCost: FAST_SCRYPT, now: clock.now },
        ...(options.trustProxy ? { trustProxy: options.trustProxy } : {}),
      }),
    );
    await addUser(server, 'alice', 'moderator');
    await addUser(server, 'root', 'admin');
    return { server, clock };
  }

  /** Enrols an authenticator app for a signed-in client; returns its secret. */
  async function enrolTotp(client: Client, now: number): Promise<{ secret: string; recoveryCodes: string[] }> {
    const begun = await client.request('POST', '/api/account/totp');
    expect(begun.status).toBe(201);
    expect(begun.json.uri).toMatch(/^otpauth:\/\/totp\/Potwatch:/);
    expect(begun.json.qrSvg).toMatch(/^<svg/);
    const confirmed = await client.request('POST', '/api/account/totp/confirm', { code: totpCode(begun.json.secret, now) });
    expect(confirmed.status).toBe(200);
    expect(confirmed.json.recoveryCodes).toHaveLength(10);
    return { secret: begun.json.secret, recoveryCodes: confirmed.json.recoveryCodes };
  }

  it('failures from one loopback address never lock the name out at another (127.0.0.2 against 127.0.0.1)', async () => {
    const { server } = await start();
    expect((await new Client(server.url, {}, '127.0.0.1').signIn('alice')).status).toBe(200);

    const attacker = new Client(server.url, {}, '127.0.0.2');
    for (let i = 0; i < 5; i++) expect((await attacker.signIn('alice', WRONG)).status).toBe(401);
    const locked = await attacker.signIn('alice');
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('30');

    // The moderator, at her own address, signs in at once, without waiting.
    const own = new Client(server.url, {}, '127.0.0.1');
    expect((await own.signIn('alice')).status).toBe(200);
    // So does a name that never signed in before: the lockout is the attacker's alone.
    for (let i = 0; i < 5; i++) await attacker.signIn('root', WRONG);
    expect((await attacker.signIn('root')).status).toBe(429);
    expect((await new Client(server.url, {}, '127.0.0.1').signIn('root')).status).toBe(200);
    const seen = server.db.prepare(`SELECT after FROM audit WHERE action = 'session.login'`).all() as { after: string }[];
    expect(seen.map((row) => JSON.parse(row.after).address)).toEqual(['127.0.0.1', '127.0.0.1', '127.0.0.1']);
  });

  it('a distributed guesser gets a few checks per minute per name, never a lockout; the name’s own address and second factor go past', async () => {
    const { server, clock } = await start({ trustProxy: 'loopback' });
    const from = (address: string) => new Client(server.url, { 'X-Forwarded-For': address });
    // Alice signed in before from her newsroom's address; enrols an authenticator app.
    const alice = from('203.0.113.7');
    expect((await alice.signIn('alice')).status).toBe(200);
    const { secret } = await enrolTotp(alice, clock.now());

    // One guess per address, from many addresses: 10 checks at once (her own sign-in took one), then 6 a minute.
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await from(`198.51.100.${i}`).signIn('alice', WRONG)).status);
    expect(statuses).toEqual([...Array(9).fill(401), ...Array(11).fill(429)]);
    const held = await from('198.51.100.200').signIn('alice', WRONG);
    expect(held.status).toBe(429);
    expect(Number(held.headers.get('retry-after'))).toBeLessThanOrEqual(10);

    // Unknown names are rate-limited exactly alike: the 429 tells nothing about which names exist.
    const unknown: number[] = [];
    for (let i = 0; i < 11; i++) unknown.push((await from(`192.0.2.${i}`).signIn('nobody-here', WRONG)).status);
    expect(unknown).toEqual([...Array(10).fill(401), 429]);

    // Alice, from her own address, signs in without waiting; from a new one, with her code.
    clock.advance(30 * SECOND);
    const atHome = await from('203.0.113.7').signIn('alice', PASSWORD, totpCode(secret, clock.now()));
    expect(atHome.status).toBe(200);
    clock.advance(30 * SECOND);
    for (let i = 0; i < 10; i++) await from(`198.51.101.${i}`).signIn('alice', WRONG);
    expect((await from('198.18.0.1').signIn('alice', PASSWORD)).status).toBe(429);
    expect((await from('198.18.0.1').signIn('alice', PASSWORD, '000000')).status).toBe(429);
    expect((await from('198.18.0.1').signIn('alice', PASSWORD, totpCode(secret, clock.now()))).status).toBe(200);

    // Not a lockout: the rate refills, and the name can be tried again seconds later.
    clock.advance(10 * SECOND);
    expect((await from('198.51.102.1').signIn('alice', WRONG)).status).toBe(401);
  });

  it('TOTP: a code within one step either side passes once, a replayed or stale code is refused, a recovery code works once', async () => {
    const { server, clock } = await start();
    const alice = await signedIn(server, 'alice');
    const { secret, recoveryCodes } = await enrolTotp(alice, clock.now());

    const needs = await new Client(server.url).signIn('alice');
    expect(needs.status).toBe(401);
    expect(needs.json.error).toMatchObject({ code: 'otp_required', field: 'otp' });
    expect(needs.headers.get('set-cookie')).toBeNull();
    // The code used to confirm the app cannot open a session.
    expect((await new Client(server.url).signIn('alice', PASSWORD, totpCode(secret, clock.now()))).json.error.code).toBe('invalid_otp');

    clock.advance(30 * SECOND);
    const code = totpCode(secret, clock.now());
    expect((await new Client(server.url).signIn('alice', PASSWORD, code)).status).toBe(200);
    const replay = await new Client(server.url).signIn('alice', PASSWORD, code);
    expect(replay.status).toBe(401);
    expect(replay.json.error).toEqual({ code: 'invalid_otp', message: 'this code is wrong or was used already', field: 'otp' });

    // A code typed as it changed (the previous step) still passes; one from two steps ago does not.
    clock.advance(60 * SECOND);
    const previous = totpCode(secret, clock.now() - 30 * SECOND);
    const stale = totpCode(secret, clock.now() - 90 * SECOND);
    expect((await new Client(server.url).signIn('alice', PASSWORD, stale)).status).toBe(401);
    expect((await new Client(server.url).signIn('alice', PASSWORD, previous)).status).toBe(200);

    // Wrong password with a right code: the same answer as any wrong password.
    clock.advance(30 * SECOND);
    const wrongPassword = await new Client(server.url).signIn('alice', WRONG, totpCode(secret, clock.now()));
    expect(wrongPassword.json.error.code).toBe('invalid_credentials');

    const recovery = recoveryCodes[3]!;
    expect((await new Client(server.url).signIn('alice', PASSWORD, recovery.toUpperCase())).status).toBe(200);
    expect((await new Client(server.url).signIn('alice', PASSWORD, recovery)).json.error.code).toBe('invalid_otp');
    const stored = server.db.prepare('SELECT code_hash FROM recovery_codes').all() as { code_hash: string }[];
    expect(stored).toHaveLength(10);
    expect(JSON.stringify(stored)).not.toContain(recovery.replaceAll('-', ''));
    expect((await alice.request('GET', '/api/account')).json).toMatchObject({ totp: true, recoveryCodesLeft: 9 });
  });

  it('an admin without a second factor is signed in to enrol one and nothing else, then gets a full session', async () => {
    const { server, clock } = await start();
    await addUser(server, 'chief', 'admin', PASSWORD, { secondFactorExempt: false });
    const chief = new Client(server.url);
    const answer = await chief.signIn('chief');
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ user: { name: 'chief', role: 'admin' }, enrolmentOnly: true });
    expect((await chief.request('GET', '/api/session')).json.enrolmentOnly).toBe(true);

    const refused = await chief.request('GET', '/api/admin/pots');
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('second_factor_required');
    expect((await chief.request('POST', '/api/pots/alpha/flags', { from: 0, to: 1, reason: 'other', published: false })).status).toBe(403);
    const flags = await chief.request('GET', '/api/pots/alpha/flags');
    expect(flags.status).toBe(200);
    expect((await chief.request('GET', '/api/account')).json).toMatchObject({ secondFactorRequired: true, totp: false, passkeys: [] });
    // A wrong first code changes nothing.
    await chief.request('POST', '/api/account/totp');
    expect((await chief.request('POST', '/api/account/totp/confirm', { code: '123456' })).json.error).toMatchObject({ code: 'invalid_otp', field: 'code' });

    const { secret } = await enrolTotp(chief, clock.now());
    expect((await chief.request('GET', '/api/admin/pots')).status).toBe(200);
    expect((await chief.request('GET', '/api/session')).json.enrolmentOnly).toBeUndefined();
    // The last factor of an account that needs one cannot be removed.
    expect((await chief.request('DELETE', '/api/account/totp')).json.error.code).toBe('last_second_factor');
    clock.advance(30 * SECOND);
    expect((await new Client(server.url).signIn('chief', PASSWORD, totpCode(secret, clock.now()))).json.enrolmentOnly).toBeUndefined();
  });

  it('lists one’s sessions with device, address and last activity, and ends one, the others, or (admin) all of someone’s', async () => {
    const { server, clock } = await start();
    const phone = new Client(server.url, { 'User-Agent': 'Phone browser' });
    await phone.signIn('alice');
    clock.advance(5 * 60 * SECOND);
    const laptop = new Client(server.url, { 'User-Agent': 'Laptop browser' });
    await laptop.signIn('alice');
    const desk = new Client(server.url, { 'User-Agent': 'Desk browser' });
    await desk.signIn('alice');

    const listed = await laptop.request('GET', '/api/sessions');
    expect(listed.headers.get('cache-control')).toBe('private, no-store');
    expect(listed.json.sessions).toHaveLength(3);
    expect(listed.json.sessions.find((session: { current: boolean }) => session.current)).toMatchObject({ userAgent: 'Laptop browser', address: '127.0.0.1', secondFactor: 'password' });
    const phoneSession = listed.json.sessions.find((session: { userAgent: string }) => session.userAgent === 'Phone browser');
    expect(phoneSession.lastSeenAt).toBe(clock.now() - 5 * 60 * SECOND);
    expect(JSON.stringify(listed.json)).not.toMatch(/[0-9a-f]{64}/);

    expect((await laptop.request('DELETE', `/api/sessions/${phoneSession.id}`)).status).toBe(204);
    expect((await phone.request('GET', '/api/session')).json.user).toBeNull();
    expect((await laptop.request('DELETE', '/api/sessions/0000000000000000')).status).toBe(404);
    // Another user's session id is not found either.
    const root = await signedIn(server, 'root');
    const rootSession = (await root.request('GET', '/api/sessions')).json.sessions[0].id;
    expect((await laptop.request('DELETE', `/api/sessions/${rootSession}`)).status).toBe(404);

    expect((await laptop.request('DELETE', '/api/sessions')).json).toEqual({ ended: 1 });
    expect((await desk.request('GET', '/api/session')).json.user).toBeNull();
    expect((await laptop.request('GET', '/api/session')).json.user.name).toBe('alice');

    await desk.signIn('alice');
    expect((await root.request('GET', '/api/users/alice/sessions')).json.sessions).toHaveLength(2);
    expect((await root.request('DELETE', '/api/users/alice/sessions')).json).toEqual({ ended: 2 });
    for (const client of [laptop, desk]) expect((await client.request('GET', '/api/session')).json.user).toBeNull();
    const audit = (await root.request('GET', '/api/audit?limit=3')).json.entries.map((entry: { action: string }) => entry.action);
    expect(audit).toContain('user.sessions_end');
  });

  it('a password change checks the current password and ends every other session', async () => {
    const { server } = await start();
    const laptop = await signedIn(server, 'alice');
    const phone = await signedIn(server, 'alice');
    const wrong = await laptop.request('POST', '/api/account/password', { currentPassword: WRONG, newPassword: 'a new long password' });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error.field).toBe('currentPassword');
    const short = await laptop.request('POST', '/api/account/password', { currentPassword: PASSWORD, newPassword: 'short' });
    expect(short.json.error).toMatchObject({ code: 'invalid_account', field: 'password' });
    expect((await phone.request('GET', '/api/session')).json.user).not.toBeNull();

    expect((await laptop.request('POST', '/api/account/password', { currentPassword: PASSWORD, newPassword: 'a new long password' })).status).toBe(204);
    expect((await phone.request('GET', '/api/session')).json.user).toBeNull();
    expect((await laptop.request('GET', '/api/session')).json.user.name).toBe('alice');
    expect((await new Client(server.url).signIn('alice', 'a new long password')).status).toBe(200);
  });

  it('admins manage accounts: add, role, disable, require a second factor, reset a password or a second factor; never the last admin', async () => {
    const { server, clock } = await start();
    const root = await signedIn(server, 'root');
    const added = await root.request('POST', '/api/users', { name: 'bea', role: 'moderator', password: 'bea password long' });
    expect(added.status).toBe(201);
    expect((await root.request('POST', '/api/users', { name: 'BEA', role: 'moderator', password: 'bea password long' })).status).toBe(409);
    expect((await root.request('POST', '/api/users', { name: '-x', role: 'moderator', password: 'bea password long' })).json.error.field).toBe('name');
    expect((await root.request('PATCH', '/api/users/bea', { colour: 'red' })).json.error.field).toBe('colour');
    expect((await root.request('PATCH', '/api/users/nobody', { role: 'admin' })).status).toBe(404);

    const bea = new Client(server.url);
    expect((await bea.signIn('bea', 'bea password long')).status).toBe(200);
    expect((await root.request('PATCH', '/api/users/bea', { disabled: true })).status).toBe(200);
    expect((await bea.request('GET', '/api/session')).json.user).toBeNull();
    const disabled = await new Client(server.url).signIn('bea', 'bea password long');
    expect(disabled.status).toBe(403);
    expect(disabled.json.error.code).toBe('account_disabled');
    // A wrong password for a disabled account gets the usual answer.
    expect((await new Client(server.url).signIn('bea', WRONG)).json.error.code).toBe('invalid_credentials');
    await root.request('PATCH', '/api/users/bea', { disabled: false, secondFactorRequired: true });
    expect((await bea.signIn('bea', 'bea password long')).json.enrolmentOnly).toBe(true);
    const { secret } = await enrolTotp(bea, clock.now());

    await root.request('DELETE', '/api/users/bea/second-factors');
    expect((await bea.request('GET', '/api/session')).json.user).toBeNull();
    clock.advance(30 * SECOND);
    expect((await bea.signIn('bea', 'bea password long', totpCode(secret, clock.now()))).json.enrolmentOnly).toBe(true);

    expect((await root.request('POST', '/api/users/bea/password', { password: 'reset by an admin' })).status).toBe(204);
    expect((await bea.request('GET', '/api/session')).json.user).toBeNull();
    expect((await new Client(server.url).signIn('bea', 'reset by an admin')).status).toBe(200);

    const users = (await root.request('GET', '/api/users')).json.users;
    expect(users.find((user: { name: string }) => user.name === 'bea')).toMatchObject({ role: 'moderator', disabled: false, secondFactorRequired: true, totp: false });
    const last = await root.request('PATCH', '/api/users/root', { role: 'moderator' });
    expect(last.status).toBe(409);
    expect(last.json.error.code).toBe('last_admin');
    expect((await root.request('PATCH', '/api/users/root', { disabled: true })).json.error.code).toBe('own_account');
    expect((await root.request('PATCH', '/api/users/bea', { role: 'admin' })).status).toBe(200);
    expect((await root.request('PATCH', '/api/users/root', { role: 'moderator' })).status).toBe(200);
    const trail = server.db.prepare(`SELECT action FROM audit WHERE target = 'user:bea' ORDER BY id`).all() as { action: string }[];
    expect(trail.map((row) => row.action)).toEqual(
      expect.arrayContaining(['user.add', 'user.disable', 'user.enable', 'user.second_factor_required', 'account.totp_enrol', 'user.second_factor_reset', 'user.password', 'user.role']),
    );
  });
});
