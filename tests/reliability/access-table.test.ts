import { readdirSync } from 'node:fs';
import path from 'node:path';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODERATION_NAMESPACE } from '../../shared/events.js';
import { DEFAULT_CLIENT_DIR } from '../../server/potwatch.js';
import { signBody, SIGNATURE_HEADER } from '../../server/ingest/webhook.js';
import { addUser, Client, connectModerator, FAST_SCRYPT, signedIn, testClock } from '../helpers/moderation.js';
import { connectViewer, startTestServer, webhookPot, WEBHOOK_SECRET, type TestServer } from '../helpers/server.js';

/**
 * Who may do what: every route and socket event, for each kind of caller. A new route gets a
 * row here; the last test fails for any route the server has that the table does not list.
 */
type Caller = 'anonymous' | 'moderator' | 'admin';
const CALLERS: readonly Caller[] = ['anonymous', 'moderator', 'admin'];

interface Context {
  server: TestServer;
  /** A flag id made fresh for the call (a DELETE consumes one). */
  newFlag(): Promise<number>;
  /** A pending suggestion made fresh for the call (a decision consumes one). */
  newSuggestion(): number;
  /** An annotation made fresh for the call (a DELETE consumes one). */
  newAnnotation(): Promise<number>;
  /** An id no pot has yet (a creation takes it). */
  newPotId(): string;
  /** A pot made through the API for the call (archiving consumes one). */
  newPot(): Promise<string>;
  /** An alert made for the call (a DELETE consumes one). */
  newAlert(): Promise<number>;
  /** A name no account has yet (a creation takes it). */
  newUserName(): string;
  asset: string;
}

interface Row {
  route: string;
  method: string;
  path: (context: Context) => string | Promise<string>;
  body?: unknown | ((context: Context) => unknown);
  /** The status each caller gets. */
  expect: Record<Caller, number>;
  /** A state-changing route behind a session: also tried with a missing, wrong or foreign CSRF token and an expired session. */
  session?: boolean;
  /** The embed alone may be framed by other sites. */
  framable?: boolean;
  check?: (caller: Caller, json: any) => void;
}

const T0 = Date.UTC(2019, 0, 9, 22);
const FLAG = { from: T0, to: T0 + 3_600_000, reason: 'night_surge', note: 'moderators only', published: false };
const everyone = (status: number): Record<Caller, number> => ({ anonymous: status, moderator: status, admin: status });
/** Passkey answers of the right shape that no authenticator signed. */
const FAKE_ASSERTION = { id: 'AAAA', rawId: 'AAAA', type: 'public-key', response: { clientDataJSON: 'e30', authenticatorData: 'AAAA', signature: 'AAAA' } };
const FAKE_ATTESTATION = { id: 'AAAA', rawId: 'AAAA', type: 'public-key', response: { clientDataJSON: 'e30', attestationObject: 'AAAA' } };
/** What an account that must still enrol a second factor may reach: its own account, sessions and sign-out. */
const ENROLMENT_ROUTES = new Set([
  'GET /api/session',
  'DELETE /api/session',
  'GET /api/account',
  'POST /api/account/totp',
  'POST /api/account/totp/confirm',
  'POST /api/account/passkeys/options',
  'POST /api/account/passkeys',
  'GET /api/sessions',
  'DELETE /api/sessions/:sid',
  'DELETE /api/sessions',
]);

const ROWS: Row[] = [
  { route: 'GET /', method: 'GET', path: () => '/', expect: everyone(200) },
  { route: 'GET /pots/:id', method: 'GET', path: () => '/pots/alpha', expect: everyone(200) },
  { route: 'GET /compare', method: 'GET', path: () => '/compare?pots=alpha,beta', expect: everyone(200) },
  { route: 'GET /embed/compare', method: 'GET', path: () => '/embed/compare?pots=alpha,beta&align=calendar', expect: everyone(200), framable: true },
  { route: 'GET /admin', method: 'GET', path: () => '/admin', expect: everyone(200) },
  { route: 'GET /admin/*rest', method: 'GET', path: () => '/admin/pots/new', expect: everyone(200) },
  { route: 'GET /embed/:id', method: 'GET', path: () => '/embed/alpha?theme=dark&lang=fr', expect: everyone(200), framable: true },
  { route: 'GET /embed/:id/chart.png', method: 'GET', path: () => '/embed/alpha/chart.png?width=400&height=300', expect: everyone(200), framable: true },
  { route: 'GET /embed/:id/chart.svg', method: 'GET', path: () => '/embed/alpha/chart.svg?range=all', expect: everyone(200), framable: true },
  { route: 'GET /embed.js', method: 'GET', path: () => '/embed.js', expect: everyone(200) },
  { route: 'GET /oembed', method: 'GET', path: (c) => `/oembed?url=${encodeURIComponent(`${c.server.url}/pots/alpha`)}`, expect: everyone(200) },
  { route: 'GET /assets/*', method: 'GET', path: (c) => `/assets/${c.asset}`, expect: everyone(200) },
  { route: 'GET /favicon.svg', method: 'GET', path: () => '/favicon.svg', expect: everyone(200) },
  { route: 'GET /healthz', method: 'GET', path: () => '/healthz', expect: everyone(200) },
  { route: 'GET /api/pots', method: 'GET', path: () => '/api/pots', expect: everyone(200) },
  { route: 'GET /api/pots/:id', method: 'GET', path: () => '/api/pots/alpha', expect: everyone(200) },
  { route: 'GET /api/pots/:id/series', method: 'GET', path: () => '/api/pots/alpha/series?points=10', expect: everyone(200) },
  { route: 'GET /api/pots/:id/live', method: 'GET', path: () => '/api/pots/alpha/live', expect: everyone(200) },
  { route: 'GET /api/pots/:id/rate', method: 'GET', path: () => '/api/pots/alpha/rate?bucket=1h', expect: everyone(200) },
  { route: 'GET /api/pots/:id/export.csv', method: 'GET', path: () => '/api/pots/alpha/export.csv', expect: everyone(200) },
  {
    route: 'GET /api/pots/:id/flags',
    method: 'GET',
    path: () => '/api/pots/alpha/flags',
    expect: everyone(200),
    check: (caller, json) => {
      const notes = (json.flags as Array<{ note?: string; published?: boolean }>).filter((flag) => flag.note !== undefined);
      if (caller === 'anonymous') expect({ caller, notes }).toEqual({ caller, notes: [] });
      else expect(notes.length).toBeGreaterThan(0);
    },
  },
  // The webhook answers to its signature, never to a session: a moderator's cookie opens nothing here.
  { route: 'POST /api/pots/:id/readings', method: 'POST', path: () => '/api/pots/alpha/readings', body: { at: T0, amount: 1, contributors: 1 }, expect: everyone(401) },
  {
    route: 'GET /api/session',
    method: 'GET',
    path: () => '/api/session',
    expect: everyone(200),
    check: (caller, json) => expect(json.user?.role ?? 'anonymous').toBe(caller),
  },
  { route: 'POST /api/session', method: 'POST', path: () => '/api/session', body: { name: 'alice', password: 'not the password' }, expect: everyone(401) },
  { route: 'DELETE /api/session', method: 'DELETE', path: () => '/api/session', expect: { anonymous: 401, moderator: 204, admin: 204 }, session: true },
  { route: 'POST /api/pots/:id/flags', method: 'POST', path: () => '/api/pots/alpha/flags', body: FLAG, expect: { anonymous: 401, moderator: 201, admin: 201 }, session: true },
  { route: 'PATCH /api/flags/:fid', method: 'PATCH', path: async (c) => `/api/flags/${await c.newFlag()}`, body: { resolved: true }, expect: { anonymous: 401, moderator: 200, admin: 200 }, session: true },
  { route: 'DELETE /api/flags/:fid', method: 'DELETE', path: async (c) => `/api/flags/${await c.newFlag()}`, expect: { anonymous: 401, moderator: 204, admin: 204 }, session: true },
  {
    route: 'GET /api/pots/:id/suggestions',
    method: 'GET',
    path: () => '/api/pots/alpha/suggestions?status=all',
    expect: { anonymous: 401, moderator: 200, admin: 200 },
  },
  { route: 'POST /api/suggestions/:sid/confirm', method: 'POST', path: (c) => `/api/suggestions/${c.newSuggestion()}/confirm`, body: {}, expect: { anonymous: 401, moderator: 201, admin: 201 }, session: true },
  { route: 'POST /api/suggestions/:sid/dismiss', method: 'POST', path: (c) => `/api/suggestions/${c.newSuggestion()}/dismiss`, body: {}, expect: { anonymous: 401, moderator: 200, admin: 200 }, session: true },
  {
    route: 'GET /api/pots/:id/quarantine',
    method: 'GET',
    path: () => '/api/pots/alpha/quarantine',
    expect: { anonymous: 401, moderator: 200, admin: 200 },
  },
  // Loopback callers without forwarding headers may read the metrics; see the metrics tests for the rest.
  { route: 'GET /metrics', method: 'GET', path: () => '/metrics', expect: everyone(200) },
  { route: 'GET /api/audit', method: 'GET', path: () => '/api/audit?limit=5', expect: { anonymous: 401, moderator: 403, admin: 200 } },
  { route: 'GET /api/pots/:id/annotations', method: 'GET', path: () => '/api/pots/alpha/annotations', expect: everyone(200) },
  {
    route: 'POST /api/pots/:id/annotations',
    method: 'POST',
    path: () => '/api/pots/alpha/annotations',
    body: { at: T0, label: 'TV appeal' },
    expect: { anonymous: 401, moderator: 201, admin: 201 },
    session: true,
  },
  { route: 'PATCH /api/annotations/:aid', method: 'PATCH', path: async (c) => `/api/annotations/${await c.newAnnotation()}`, body: { label: 'Changed' }, expect: { anonymous: 401, moderator: 200, admin: 200 }, session: true },
  { route: 'DELETE /api/annotations/:aid', method: 'DELETE', path: async (c) => `/api/annotations/${await c.newAnnotation()}`, expect: { anonymous: 401, moderator: 204, admin: 204 }, session: true },
  { route: 'GET /api/pots/:id/contributions', method: 'GET', path: () => '/api/pots/alpha/contributions', expect: { anonymous: 401, moderator: 200, admin: 200 } },
  { route: 'GET /api/admin/pots', method: 'GET', path: () => '/api/admin/pots', expect: { anonymous: 401, moderator: 403, admin: 200 } },
  {
    route: 'POST /api/pots',
    method: 'POST',
    path: () => '/api/pots',
    body: (c: Context) => ({ id: c.newPotId(), title: 'New', source: { kind: 'webhook' } }),
    expect: { anonymous: 401, moderator: 403, admin: 201 },
    session: true,
  },
  { route: 'PATCH /api/pots/:id', method: 'PATCH', path: (c) => c.newPot(), body: { title: 'Renamed' }, expect: { anonymous: 401, moderator: 403, admin: 200 }, session: true },
  { route: 'DELETE /api/pots/:id', method: 'DELETE', path: (c) => c.newPot(), expect: { anonymous: 401, moderator: 403, admin: 200 }, session: true },
  // A webhook is not polled: the admin's preview is refused after the checks, without reaching out.
  { route: 'POST /api/sources/preview', method: 'POST', path: () => '/api/sources/preview', body: { source: { kind: 'webhook' } }, expect: { anonymous: 401, moderator: 403, admin: 422 }, session: true },
  { route: 'GET /api/alerts', method: 'GET', path: () => '/api/alerts', expect: { anonymous: 401, moderator: 403, admin: 200 } },
  // Deliveries to a closed port fail and wait for their next try: nothing leaves the machine.
  { route: 'POST /api/alerts', method: 'POST', path: () => '/api/alerts', body: { kind: 'webhook', target: 'http://127.0.0.1:9/hook', events: ['suggestion'] }, expect: { anonymous: 401, moderator: 403, admin: 201 }, session: true },
  { route: 'DELETE /api/alerts/:aid', method: 'DELETE', path: async (c) => `/api/alerts/${await c.newAlert()}`, expect: { anonymous: 401, moderator: 403, admin: 200 }, session: true },
  { route: 'POST /api/alerts/:aid/test', method: 'POST', path: async (c) => `/api/alerts/${await c.newAlert()}/test`, expect: { anonymous: 401, moderator: 403, admin: 202 }, session: true },
  { route: 'GET /api/alerts/:aid/deliveries', method: 'GET', path: async (c) => `/api/alerts/${await c.newAlert()}/deliveries`, expect: { anonymous: 401, moderator: 403, admin: 200 } },
  { route: 'POST /api/alerts/:aid/retry', method: 'POST', path: async (c) => `/api/alerts/${await c.newAlert()}/retry`, expect: { anonymous: 401, moderator: 403, admin: 202 }, session: true },
  // Accounts and sessions: one's own (an account that must still enrol a second factor included, see below).
  { route: 'POST /api/session/passkey/options', method: 'POST', path: () => '/api/session/passkey/options', expect: everyone(200) },
  { route: 'POST /api/session/passkey', method: 'POST', path: () => '/api/session/passkey', body: { response: FAKE_ASSERTION }, expect: everyone(401) },
  { route: 'GET /api/account', method: 'GET', path: () => '/api/account', expect: { anonymous: 401, moderator: 200, admin: 200 } },
  { route: 'POST /api/account/totp', method: 'POST', path: () => '/api/account/totp', expect: { anonymous: 401, moderator: 201, admin: 201 }, session: true },
  // A wrong first code for the app set up by the row above.
  { route: 'POST /api/account/totp/confirm', method: 'POST', path: () => '/api/account/totp/confirm', body: { code: '000000' }, expect: { anonymous: 401, moderator: 400, admin: 400 }, session: true },
  { route: 'DELETE /api/account/totp', method: 'DELETE', path: () => '/api/account/totp', expect: { anonymous: 401, moderator: 404, admin: 404 }, session: true },
  { route: 'POST /api/account/recovery-codes', method: 'POST', path: () => '/api/account/recovery-codes', expect: { anonymous: 401, moderator: 409, admin: 409 }, session: true },
  { route: 'POST /api/account/passkeys/options', method: 'POST', path: () => '/api/account/passkeys/options', expect: { anonymous: 401, moderator: 200, admin: 200 }, session: true },
  { route: 'POST /api/account/passkeys', method: 'POST', path: () => '/api/account/passkeys', body: { response: FAKE_ATTESTATION }, expect: { anonymous: 401, moderator: 400, admin: 400 }, session: true },
  { route: 'DELETE /api/account/passkeys/:pid', method: 'DELETE', path: () => '/api/account/passkeys/nothing', expect: { anonymous: 401, moderator: 404, admin: 404 }, session: true },
  { route: 'POST /api/account/password', method: 'POST', path: () => '/api/account/password', body: { currentPassword: 'not the password', newPassword: 'a new long password' }, expect: { anonymous: 401, moderator: 400, admin: 400 }, session: true },
  { route: 'GET /api/sessions', method: 'GET', path: () => '/api/sessions', expect: { anonymous: 401, moderator: 200, admin: 200 } },
  { route: 'DELETE /api/sessions/:sid', method: 'DELETE', path: () => '/api/sessions/0000000000000000', expect: { anonymous: 401, moderator: 404, admin: 404 }, session: true },
  { route: 'DELETE /api/sessions', method: 'DELETE', path: () => '/api/sessions', expect: { anonymous: 401, moderator: 200, admin: 200 }, session: true },
  // Everyone's accounts, for admins (carol is there to be changed).
  { route: 'GET /api/users', method: 'GET', path: () => '/api/users', expect: { anonymous: 401, moderator: 403, admin: 200 } },
  { route: 'POST /api/users', method: 'POST', path: () => '/api/users', body: (c: Context) => ({ name: c.newUserName(), role: 'moderator', password: 'a long enough password' }), expect: { anonymous: 401, moderator: 403, admin: 201 }, session: true },
  { route: 'PATCH /api/users/:name', method: 'PATCH', path: () => '/api/users/carol', body: { secondFactorRequired: true }, expect: { anonymous: 401, moderator: 403, admin: 200 }, session: true },
  { route: 'POST /api/users/:name/password', method: 'POST', path: () => '/api/users/carol/password', body: { password: 'a long enough password' }, expect: { anonymous: 401, moderator: 403, admin: 204 }, session: true },
  { route: 'DELETE /api/users/:name/second-factors', method: 'DELETE', path: () => '/api/users/carol/second-factors', expect: { anonymous: 401, moderator: 403, admin: 204 }, session: true },
  { route: 'GET /api/users/:name/sessions', method: 'GET', path: () => '/api/users/carol/sessions', expect: { anonymous: 401, moderator: 403, admin: 200 } },
  { route: 'DELETE /api/users/:name/sessions', method: 'DELETE', path: () => '/api/users/carol/sessions', expect: { anonymous: 401, moderator: 403, admin: 200 }, session: true },
  // The admin console's other pages: audit export, held readings, webhook secrets.
  { route: 'GET /api/audit.csv', method: 'GET', path: () => '/api/audit.csv?action=user', expect: { anonymous: 401, moderator: 403, admin: 200 } },
  { route: 'POST /api/pots/:id/quarantine/:qid/release', method: 'POST', path: () => '/api/pots/alpha/quarantine/999999/release', body: { reason: 'checked' }, expect: { anonymous: 401, moderator: 403, admin: 409 }, session: true },
  { route: 'POST /api/pots/:id/quarantine/:qid/discard', method: 'POST', path: () => '/api/pots/alpha/quarantine/999999/discard', body: { reason: 'checked' }, expect: { anonymous: 401, moderator: 403, admin: 409 }, session: true },
  { route: 'GET /api/admin/secrets', method: 'GET', path: () => '/api/admin/secrets', expect: { anonymous: 401, moderator: 403, admin: 200 } },
  { route: 'POST /api/pots/:id/secret', method: 'POST', path: async (c) => `${await c.newPot()}/secret`, body: { overlapHours: 1 }, expect: { anonymous: 401, moderator: 403, admin: 201 }, session: true },
  { route: 'DELETE /api/pots/:id/secret/previous', method: 'DELETE', path: async (c) => `${await c.newPot()}/secret/previous`, expect: { anonymous: 401, moderator: 403, admin: 409 }, session: true },
  { route: 'GET unknown API', method: 'GET', path: () => '/api/nothing-here', expect: everyone(404) },
  { route: 'GET unknown page', method: 'GET', path: () => '/nothing-here', expect: everyone(404) },
];

function expectSecurityHeaders(row: Row, headers: Headers): void {
  const csp = headers.get('content-security-policy') ?? '';
  expect({ route: row.route, csp }).toEqual({ route: row.route, csp: expect.stringContaining(row.framable ? 'frame-ancestors *' : "frame-ancestors 'self'") });
  // Scripts from the site itself at most (the chart image allows none at all), never inline ones, no plugins.
  expect(csp, row.route).toMatch(/script-src 'self'|default-src 'none'/);
  expect(csp, row.route).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
  expect(csp, row.route).toMatch(/object-src 'none'|default-src 'none'/);
  expect(headers.get('x-content-type-options'), row.route).toBe('nosniff');
  expect(headers.get('referrer-policy'), row.route).toBe('strict-origin-when-cross-origin');
  expect(headers.get('x-frame-options'), row.route).toBe(row.framable ? null : 'SAMEORIGIN');
}

describe('access: every route and socket event, for anonymous, moderator and admin callers', () => {
  let server: TestServer;
  const clock = testClock(Date.now());
  let context: Context;
  let suggestionsMade = 0;
  let potsMade = 0;
  let usersMade = 0;

  /** A new session per call, since some calls end it (DELETE /api/session) or wear it out. */
  const caller = async (kind: Caller): Promise<Client> =>
    kind === 'anonymous' ? new Client(server.url) : signedIn(server, kind === 'moderator' ? 'alice' : 'root');

  beforeAll(async () => {
    server = await startTestServer({
      pots: [webhookPot('alpha'), webhookPot('beta')],
      moderation: { scryptCost: FAST_SCRYPT, now: clock.now },
      sourcesAllowHosts: ['127.0.0.1'],
    });
    await addUser(server, 'alice', 'moderator');
    await addUser(server, 'root', 'admin');
    await addUser(server, 'carol', 'moderator');
    await addUser(server, 'newbie', 'admin', undefined, { secondFactorExempt: false });
    context = {
      server,
      asset: readdirSync(path.join(DEFAULT_CLIENT_DIR, 'assets')).find((file) => file.endsWith('.js'))!,
      newSuggestion: () => {
        const at = T0 + 60_000 * suggestionsMade++;
        return Number(
          server.db
            .prepare(
              `INSERT INTO suggestions (pot_id, from_at, to_at, kind, score, evidence, status, created_at, updated_at)
               VALUES ('alpha', ?, ?, 'sudden-jump', 9, '{"summary":"+500 contributors in one reading"}', 'pending', ?, ?)`,
            )
            .run(at, at + 30_000, at, at).lastInsertRowid,
        );
      },
      newAnnotation: async () =>
        (await (await caller('admin')).request('POST', '/api/pots/alpha/annotations', { at: T0, label: 'Made for the call' })).json.annotation.id as number,
      newPotId: () => `made-${potsMade++}`,
      newUserName: () => `made-user-${usersMade++}`,
      newPot: async () => {
        const id = context.newPotId();
        await (await caller('admin')).request('POST', '/api/pots', { id, title: 'Made', source: { kind: 'webhook' } });
        return `/api/pots/${id}`;
      },
      newAlert: async () =>
        (await (await caller('admin')).request('POST', '/api/alerts', { kind: 'webhook', target: 'http://127.0.0.1:9/hook', events: ['flag'] })).json.alert.id as number,
      newFlag: async () => (await (await caller('admin')).request('POST', '/api/pots/alpha/flags', FLAG)).json.flag.id as number,
    };
    await context.newFlag();
  });
  afterAll(async () => {
    await server.dispose();
  });

  for (const row of ROWS) {
    it(`${row.route}: ${CALLERS.map((kind) => `${kind} ${row.expect[kind]}`).join(', ')}, with the security headers`, async () => {
      for (const kind of CALLERS) {
        const client = await caller(kind);
        const answer = await client.request(row.method, await row.path(context), bodyOf(row, context));
        expect({ route: row.route, caller: kind, status: answer.status }).toEqual({ route: row.route, caller: kind, status: row.expect[kind] });
        expectSecurityHeaders(row, answer.headers);
        row.check?.(kind, answer.json);
      }
      if (!row.session) return;
      for (const kind of ['moderator', 'admin'] as const) {
        const client = await caller(kind);
        const other = await caller(kind === 'moderator' ? 'admin' : 'moderator');
        for (const csrf of [null, 'x'.repeat(43), other.csrfToken!]) {
          const answer = await client.request(row.method, await row.path(context), bodyOf(row, context), { csrf });
          expect({ route: row.route, caller: kind, csrf, status: answer.status }).toEqual({ route: row.route, caller: kind, csrf, status: 403 });
          expect(answer.json.error.code).toBe('bad_csrf_token');
          expectSecurityHeaders(row, answer.headers);
        }
      }
    });
  }

  it('refuses every session route once the session has expired or been signed out', async () => {
    const idle = await caller('moderator');
    const signedOut = await caller('admin');
    const token = { cookie: signedOut.cookie!, csrfToken: signedOut.csrfToken! };
    expect((await signedOut.request('DELETE', '/api/session')).status).toBe(204);
    Object.assign(signedOut, token);
    clock.advance(2 * 3_600_000);
    const adminReads = ['GET /api/audit', 'GET /api/admin/pots', 'GET /api/alerts', 'GET /api/alerts/:aid/deliveries'];
    for (const row of ROWS.filter((candidate) => candidate.session || adminReads.includes(candidate.route))) {
      for (const client of [idle, signedOut]) {
        const answer = await client.request(row.method, await row.path(context), bodyOf(row, context));
        expect({ route: row.route, status: answer.status }).toEqual({ route: row.route, status: 401 });
      }
    }
    await expect(connectModerator(server.url, idle)).rejects.toThrow('not_signed_in');
  });

  it('an admin who must still enrol a second factor reaches only their account, sessions and sign-out: 403 second_factor_required elsewhere', async () => {
    for (const row of ROWS) {
      // A sign-in that is not yet full does not make the address the account's own: the name's rate applies.
      clock.advance(10_000);
      const newbie = new Client(server.url);
      expect((await newbie.signIn('newbie')).json.enrolmentOnly).toBe(true);
      const answer = await newbie.request(row.method, await row.path(context), bodyOf(row, context));
      const open = row.expect.anonymous === row.expect.admin;
      const expected = open ? row.expect.anonymous : ENROLMENT_ROUTES.has(row.route) ? row.expect.admin : 403;
      expect({ route: row.route, status: answer.status }).toEqual({ route: row.route, status: expected });
      if (!open && !ENROLMENT_ROUTES.has(row.route)) expect(answer.json.error.code).toBe('second_factor_required');
      expectSecurityHeaders(row, answer.headers);
    }
    const newbie = new Client(server.url);
    await newbie.signIn('newbie');
    await expect(connectModerator(server.url, newbie)).rejects.toThrow('second_factor_required');
  });

  it('takes a webhook delivery on its signature alone, whoever sends it', async () => {
    const body = JSON.stringify({ at: T0, amount: 1, contributors: 1 });
    for (const kind of CALLERS) {
      const client = await caller(kind);
      for (const [signature, status] of [
        [undefined, 401],
        [signBody(body, 'another-secret-0123456789'), 401],
        [signBody(body, WEBHOOK_SECRET), 200],
      ] as const) {
        const answer = await client.request('POST', '/api/pots/alpha/readings', body, { headers: signature ? { [SIGNATURE_HEADER]: signature } : {} });
        expect({ caller: kind, signed: signature !== undefined, status: answer.status }).toEqual({ caller: kind, signed: signature !== undefined, status });
      }
    }
  });

  it('socket events: anyone subscribes to public pots; only a live session with its CSRF token opens the moderators’ channel', async () => {
    for (const kind of CALLERS) {
      const client = await caller(kind);
      const viewer = await connectViewer(server.url);
      expect(await viewer.emitWithAck('subscribe', { potId: 'alpha' })).toMatchObject({ ok: true });
      expect(await viewer.emitWithAck('subscribe', { potId: 'nope' })).toMatchObject({ ok: false, error: { code: 'pot_not_found' } });
      viewer.emit('unsubscribe', { potId: 'alpha' });
      viewer.disconnect();

      if (kind === 'anonymous') {
        await expect(connectModerator(server.url, client)).rejects.toThrow('not_signed_in');
        await expect(connectModerator(server.url, { csrfToken: 'x'.repeat(43) })).rejects.toThrow('not_signed_in');
        continue;
      }
      const moderator = await connectModerator(server.url, client);
      expect(await moderator.emitWithAck('subscribe', { potId: 'alpha' })).toEqual({ ok: true });
      moderator.disconnect();
      await expect(connectModerator(server.url, { cookie: client.cookie!, csrfToken: 'x'.repeat(43) })).rejects.toThrow('bad_csrf_token');
      await expect(connectModerator(server.url, { cookie: client.cookie! })).rejects.toThrow('bad_csrf_token');
    }
    // Without the cookie, a page cannot ride on someone else's session, whatever token it sends.
    const alice = await caller('moderator');
    const socket = connect(`${server.url}${MODERATION_NAMESPACE}`, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { csrfToken: alice.csrfToken } });
    expect(await new Promise((resolve) => socket.once('connect_error', (error) => resolve(error.message)))).toBe('not_signed_in');
    socket.disconnect();
  });

  it('lists every route the server has', () => {
    const declared = declaredRoutes((server.app as unknown as { router: RouterLike }).router);
    expect(declared.length).toBeGreaterThan(10);
    const listed = new Set(ROWS.map((row) => row.route));
    expect(declared.filter((route) => !listed.has(route))).toEqual([]);
  });
});

const bodyOf = (row: Row, context: Context): unknown => (typeof row.body === 'function' ? row.body(context) : row.body);

interface RouterLike {
  stack: Array<{ route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: RouterLike['stack'] } }>;
}

/** "METHOD /path" of every route declared on an Express router and the routers it mounts. */
function declaredRoutes(router: RouterLike): string[] {
  return router.stack.flatMap((layer) => {
    if (layer.route) return Object.keys(layer.route.methods).map((method) => `${method.toUpperCase()} ${layer.route!.path}`);
    return layer.handle?.stack ? declaredRoutes(layer.handle as RouterLike) : [];
  });
}
