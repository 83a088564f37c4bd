import { describe, expect, it } from 'vitest';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { startTestServer, webhookPot } from '../helpers/server.js';
import { addUser, Client, FAST_SCRYPT, signedIn } from '../helpers/moderation.js';

const NIGHT = { from: '2019-01-09T23:00:00Z', to: '2019-01-10T06:00:00Z' };
const FROM = Date.UTC(2019, 0, 9, 23);
const TO = Date.UTC(2019, 0, 10, 6);

describe('flags API and audit trail', () => {
  async function start() {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha'), webhookPot('beta')], moderation: { scryptCost: FAST_SCRYPT } }));
    await addUser(server, 'alice', 'moderator');
    await addUser(server, 'root', 'admin');
    return server;
  }

  it('creates, edits, resolves and deletes a flag, each step in the audit trail', async () => {
    const server = await start();
    const alice = await signedIn(server, 'alice');
    const created = await alice.request('POST', '/api/pots/alpha/flags', {
      ...NIGHT,
      reason: 'night_surge',
      note: 'Linear growth all night <b>check</b>',
      published: false,
    });
    expect(created.status).toBe(201);
    expect(created.json.flag).toEqual({
      id: expect.any(Number),
      potId: 'alpha',
      from: FROM,
      to: TO,
      reason: 'night_surge',
      resolved: false,
      note: 'Linear growth all night <b>check</b>',
      published: false,
      createdBy: 'alice',
      createdAt: expect.any(Number),
      updatedBy: null,
      updatedAt: null,
    });
    const id = created.json.flag.id;

    const edited = await alice.request('PATCH', `/api/flags/${id}`, { to: TO + 3_600_000, published: true });
    expect(edited.status).toBe(200);
    expect(edited.json.flag).toMatchObject({ to: TO + 3_600_000, published: true, updatedBy: 'alice', note: created.json.flag.note });
    const resolved = await alice.request('PATCH', `/api/flags/${id}`, { resolved: true, note: 'Platform backlog, confirmed' });
    expect(resolved.json.flag).toMatchObject({ resolved: true, published: true, note: 'Platform backlog, confirmed' });
    expect((await alice.request('DELETE', `/api/flags/${id}`)).status).toBe(204);
    expect((await alice.request('DELETE', `/api/flags/${id}`)).status).toBe(404);
    expect((await alice.request('GET', '/api/pots/alpha/flags')).json).toEqual({ flags: [] });

    const root = await signedIn(server, 'root');
    const audit = await root.request('GET', '/api/audit?potId=alpha');
    expect(audit.json.entries.map((entry: { action: string; actor: string; target: string }) => [entry.action, entry.actor, entry.target])).toEqual([
      ['flag.delete', 'alice', `flag:${id}`],
      ['flag.update', 'alice', `flag:${id}`],
      ['flag.update', 'alice', `flag:${id}`],
      ['flag.create', 'alice', `flag:${id}`],
    ]);
    const [deleted, resolvedEntry, publishedEntry, createdEntry] = audit.json.entries;
    expect(createdEntry).toMatchObject({ before: null, after: created.json.flag, potId: 'alpha' });
    expect(publishedEntry).toMatchObject({ before: created.json.flag, after: edited.json.flag });
    expect(resolvedEntry).toMatchObject({ before: edited.json.flag, after: resolved.json.flag });
    expect(deleted).toMatchObject({ before: resolved.json.flag, after: null });
    expect(deleted.at).toEqual(expect.any(Number));

    const page = await root.request('GET', '/api/audit?limit=2');
    expect(page.json.entries).toHaveLength(2);
    const next = await root.request('GET', `/api/audit?limit=2&before=${page.json.next}`);
    expect(next.json.entries[0].id).toBeLessThan(page.json.entries[1].id);
  });

  it('keeps the audit trail append-only: SQLite refuses UPDATE and DELETE', async () => {
    const server = await start();
    const alice = await signedIn(server, 'alice');
    await alice.request('POST', '/api/pots/alpha/flags', { ...NIGHT, reason: 'other', published: true });
    const count = () => (server.db.prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n;
    const before = count();
    expect(() => server.db.prepare("UPDATE audit SET actor = 'someone else'").run()).toThrow(/append-only/);
    expect(() => server.db.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    expect(() => server.db.prepare('DELETE FROM audit WHERE id = 1').run()).toThrow(/append-only/);
    expect(count()).toBe(before);
    expect(server.db.prepare("SELECT count(*) AS n FROM audit WHERE actor = 'someone else'").get()).toEqual({ n: 0 });
  });

  it('shows the public only published flags, with public fields, cacheable but varied by cookie', async () => {
    const server = await start();
    const alice = await signedIn(server, 'alice');
    const draft = await alice.request('POST', '/api/pots/alpha/flags', { ...NIGHT, reason: 'too_regular', note: 'secret note', published: false });
    const published = await alice.request('POST', '/api/pots/alpha/flags', {
      from: FROM - 86_400_000,
      to: FROM - 80_000_000,
      reason: 'catch_up_jump',
      note: 'another secret',
      published: true,
    });
    await alice.request('POST', '/api/pots/beta/flags', { ...NIGHT, reason: 'other', published: true });

    const anonymous = await new Client(server.url).request('GET', '/api/pots/alpha/flags');
    expect(anonymous.status).toBe(200);
    expect(anonymous.json).toEqual({
      flags: [
        { id: published.json.flag.id, potId: 'alpha', from: FROM - 86_400_000, to: FROM - 80_000_000, reason: 'catch_up_jump', resolved: false },
      ],
    });
    expect(JSON.stringify(anonymous.json)).not.toMatch(/secret|alice|published|note/);
    expect(anonymous.headers.get('cache-control')).toBe('public, max-age=2');
    expect(anonymous.headers.get('vary')).toContain('Cookie');

    const moderator = await alice.request('GET', '/api/pots/alpha/flags');
    expect(moderator.headers.get('cache-control')).toBe('private, no-store');
    expect(moderator.json.flags.map((flag: { id: number }) => flag.id)).toEqual([published.json.flag.id, draft.json.flag.id]);
    expect(moderator.json.flags[1]).toMatchObject({ note: 'secret note', published: false });

    const expiredCookie = new Client(server.url);
    expiredCookie.cookie = 'potwatch_session=' + 'A'.repeat(43);
    expect((await expiredCookie.request('GET', '/api/pots/alpha/flags')).json).toEqual(anonymous.json);
  });

  it.each([
    [{ to: NIGHT.to, reason: 'other', published: true }, 'from'],
    [{ from: 'yesterday', to: NIGHT.to, reason: 'other', published: true }, 'from'],
    [{ from: '2019-01-10T02:00:00', to: NIGHT.to, reason: 'other', published: true }, 'from'],
    [{ from: NIGHT.from, to: -5, reason: 'other', published: true }, 'to'],
    [{ from: NIGHT.to, to: NIGHT.from, reason: 'other', published: true }, 'to'],
    [{ ...NIGHT, reason: 'bots', published: true }, 'reason'],
    [{ ...NIGHT, reason: 'other' }, 'published'],
    [{ ...NIGHT, reason: 'other', published: 'yes' }, 'published'],
    [{ ...NIGHT, reason: 'other', published: true, note: 'x'.repeat(2001) }, 'note'],
    [{ ...NIGHT, reason: 'other', published: true, note: 12 }, 'note'],
  ])('refuses a flag %j naming %s, and stores nothing', async (body, field) => {
    const server = await start();
    const alice = await signedIn(server, 'alice');
    const answer = await alice.request('POST', '/api/pots/alpha/flags', body);
    expect(answer.status).toBe(400);
    expect(answer.json.error.field).toBe(field);
    expect(answer.json.error.message).toContain(field);
    expect(server.db.prepare('SELECT count(*) AS n FROM flags').get()).toEqual({ n: 0 });
  });

  it('accepts epoch milliseconds, refuses bad edits naming the field, and answers 404 for unknown pots and flags', async () => {
    const server = await start();
    const alice = await signedIn(server, 'alice');
    const created = await alice.request('POST', '/api/pots/alpha/flags', { from: FROM, to: String(TO), reason: 'identical_gifts', published: false });
    expect(created.json.flag).toMatchObject({ from: FROM, to: TO });
    const id = created.json.flag.id;
    expect((await alice.request('PATCH', `/api/flags/${id}`, { from: TO + 1 })).json.error).toMatchObject({ field: 'from' });
    expect((await alice.request('PATCH', `/api/flags/${id}`, { to: FROM - 1 })).json.error).toMatchObject({ field: 'to' });
    expect((await alice.request('PATCH', `/api/flags/${id}`, { resolved: 'no' })).json.error).toMatchObject({ field: 'resolved' });
    expect((await alice.request('PATCH', `/api/flags/${id}`, [1, 2])).status).toBe(400);
    expect((await alice.request('PATCH', '/api/flags/abc', { note: 'x' })).json.error).toMatchObject({ field: 'fid' });
    expect((await alice.request('PATCH', '/api/flags/999999', { note: 'x' })).status).toBe(404);
    expect((await alice.request('POST', '/api/pots/nope/flags', { ...NIGHT, reason: 'other', published: true })).status).toBe(404);
    expect((await new Client(server.url).request('GET', '/api/pots/nope/flags')).status).toBe(404);
    expect((await alice.request('GET', `/api/pots/alpha/flags`)).json.flags[0]).toMatchObject({ from: FROM, to: TO, updatedBy: null });
  });

  it('keeps flags and the audit trail across a restart', async () => {
    const server = await start();
    const alice = await signedIn(server, 'alice');
    await alice.request('POST', '/api/pots/alpha/flags', { ...NIGHT, reason: 'source_error', published: true });
    await server.close();
    const restarted = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')], moderation: { scryptCost: FAST_SCRYPT } }, server.databasePath));
    expect((await new Client(restarted.url).request('GET', '/api/pots/alpha/flags')).json.flags).toHaveLength(1);
    const root = await signedIn(restarted, 'root');
    expect((await root.request('GET', '/api/audit')).json.entries.some((entry: { action: string }) => entry.action === 'flag.create')).toBe(true);
  });
});
