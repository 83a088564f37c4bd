import { describe, expect, it } from 'vitest';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { addUser, FAST_SCRYPT, signedIn, testClock } from '../helpers/moderation.js';
import { connectViewer, nextEvent, postReadings, startTestServer, webhookPot } from '../helpers/server.js';

const T0 = Date.UTC(2019, 0, 10, 6, 0);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const at = (minute: number) => new Date(T0 + minute * MINUTE).toISOString();

async function start(clock = testClock(Date.now())) {
  const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')], moderation: { scryptCost: FAST_SCRYPT, now: clock.now } }));
  await addUser(server, 'alice', 'moderator');
  await addUser(server, 'root', 'admin');
  return { server, clock, root: await signedIn(server, 'root'), alice: await signedIn(server, 'alice') };
}

describe('admin console: held readings, webhook secrets, audit trail', () => {
  it('releases a held reading by hand with the held ones before it, or discards one, each with its reason in the audit trail', async () => {
    const { server, root, alice } = await start();
    const rising = Array.from({ length: 10 }, (_, minute) => ({ at: at(minute), amount: 1_000_000 + minute * 100, contributors: 50_000 + minute }));
    await postReadings(server.url, 'alpha', rising);
    // A refund: the platform's total went down, and stays there.
    for (const minute of [10, 11, 11.5]) await postReadings(server.url, 'alpha', { at: at(minute), amount: 900_000 + Math.floor(minute), contributors: 50_000 + Math.floor(minute) });
    const held = (await root.request('GET', '/api/pots/alpha/quarantine?status=held')).json.readings as Array<{ id: number; at: number }>;
    expect(held.map((reading) => reading.at)).toEqual([T0 + 11.5 * MINUTE, T0 + 11 * MINUTE, T0 + 10 * MINUTE]);
    const [newest, middle, oldest] = held.map((reading) => reading.id) as [number, number, number];

    expect((await alice.request('POST', `/api/pots/alpha/quarantine/${middle}/release`, { reason: 'refund' })).status).toBe(403);
    expect((await root.request('POST', `/api/pots/alpha/quarantine/${middle}/release`, {})).json.error).toMatchObject({ code: 'invalid_decision', field: 'reason' });
    expect((await root.request('POST', `/api/pots/alpha/quarantine/abc/release`, { reason: 'x' })).json.error.field).toBe('qid');
    expect((await root.request('POST', `/api/pots/nope/quarantine/${middle}/release`, { reason: 'x' })).status).toBe(404);

    const viewer = await connectViewer(server.url);
    await viewer.emitWithAck('subscribe', { potId: 'alpha' });
    const live = nextEvent(viewer, 'reading', (reading) => reading.at === T0 + 11 * MINUTE);
    const released = await root.request('POST', `/api/pots/alpha/quarantine/${middle}/release`, { reason: 'the platform confirmed a refund' });
    expect(released.status).toBe(200);
    expect(released.json.reading).toMatchObject({ id: middle, status: 'released' });
    expect((await live).amountMinor).toBe(90_001_100);
    viewer.disconnect();

    const series = (await root.request('GET', '/api/pots/alpha/series')).json.points as number[][];
    expect(series.slice(-2).map((point) => point[0])).toEqual([T0 + 10 * MINUTE, T0 + 11 * MINUTE]);
    const statuses = (await root.request('GET', '/api/pots/alpha/quarantine')).json.readings.map((reading: { id: number; status: string }) => [reading.id, reading.status]);
    expect(statuses).toEqual([[newest, 'held'], [middle, 'released'], [oldest, 'released']]);

    const discarded = await root.request('POST', `/api/pots/alpha/quarantine/${newest}/discard`, { reason: 'typed by hand, wrong' });
    expect(discarded.json.reading.status).toBe('discarded');
    const again = await root.request('POST', `/api/pots/alpha/quarantine/${newest}/release`, { reason: 'changed my mind' });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('not_held');
    expect((await root.request('GET', '/api/pots/alpha')).json.status).toBe('live');

    const trail = (await root.request('GET', '/api/audit?potId=alpha&action=reading')).json.entries;
    expect(trail.map((entry: { action: string; after: { reason: string } }) => [entry.action, entry.after.reason])).toEqual([
      ['reading.discard', 'typed by hand, wrong'],
      ['reading.release', 'the platform confirmed a refund'],
    ]);
  });

  it('rotates an API pot’s webhook secret: both secrets work during the overlap, then only the new one; file pots say where their secret lives', async () => {
    const { server, clock, root, alice } = await start();
    const created = await root.request('POST', '/api/pots', { id: 'beta', title: 'Beta', currency: 'EUR', source: { kind: 'webhook' } });
    const oldSecret = created.json.secret as string;
    const reading = (minute: number) => ({ at: at(minute), amount: 10 + minute, contributors: 1 + minute });

    expect((await alice.request('POST', '/api/pots/beta/secret', {})).status).toBe(403);
    expect((await root.request('POST', '/api/pots/beta/secret', { overlapHours: 0 })).json.error.field).toBe('overlapHours');
    const rotated = await root.request('POST', '/api/pots/beta/secret', { overlapHours: 2 });
    expect(rotated.status).toBe(201);
    expect(rotated.json).toMatchObject({ potId: 'beta', previousRetiresAt: clock.now() + 2 * HOUR });
    const newSecret = rotated.json.secret as string;
    expect(newSecret).not.toBe(oldSecret);

    expect((await postReadings(server.url, 'beta', reading(0), oldSecret)).status).toBe(200);
    expect((await postReadings(server.url, 'beta', reading(1), newSecret)).status).toBe(200);
    expect((await postReadings(server.url, 'beta', reading(2), 'made-up-secret-0123456789')).status).toBe(401);
    const listed = (await root.request('GET', '/api/admin/secrets')).json.secrets;
    expect(listed).toEqual([
      { potId: 'alpha', title: 'Pot alpha', origin: 'file', rotatable: false, previousRetiresAt: null },
      { potId: 'beta', title: 'Beta', origin: 'api', rotatable: true, previousRetiresAt: clock.now() + 2 * HOUR },
    ]);
    expect(JSON.stringify(listed)).not.toContain(newSecret);

    clock.advance(2 * HOUR);
    const admin = await signedIn(server, 'root');
    expect((await postReadings(server.url, 'beta', reading(3), oldSecret)).status).toBe(401);
    expect((await postReadings(server.url, 'beta', reading(4), newSecret)).status).toBe(200);

    // Retired early, by hand, once the sender has switched.
    const third = (await admin.request('POST', '/api/pots/beta/secret', { overlapHours: 24 })).json.secret as string;
    expect((await postReadings(server.url, 'beta', reading(5), newSecret)).status).toBe(200);
    expect((await admin.request('DELETE', '/api/pots/beta/secret/previous')).status).toBe(204);
    expect((await postReadings(server.url, 'beta', reading(6), newSecret)).status).toBe(401);
    expect((await postReadings(server.url, 'beta', reading(7), third)).status).toBe(200);
    expect((await admin.request('DELETE', '/api/pots/beta/secret/previous')).json.error.code).toBe('no_previous_secret');

    const filePot = await admin.request('POST', '/api/pots/alpha/secret', {});
    expect(filePot.status).toBe(409);
    expect(filePot.json.error).toMatchObject({ code: 'pot_in_file', field: 'id', message: expect.stringContaining('pots file') });
    const trail = (await admin.request('GET', '/api/audit?potId=beta&action=pot')).json.entries.map((entry: { action: string }) => entry.action);
    expect(trail).toEqual(['pot.secret_retire', 'pot.secret_rotate', 'pot.secret_rotate', 'pot.create']);
    expect(JSON.stringify(server.db.prepare('SELECT * FROM audit').all())).not.toContain(third);

  });

  it('filters the audit trail by pot, actor, action family and time, and exports it as CSV that no spreadsheet runs', async () => {
    const { clock, root, alice } = await start();
    const t1 = clock.now();
    await alice.request('POST', '/api/pots/alpha/flags', { from: T0, to: T0 + HOUR, reason: 'other', note: '=HYPERLINK("http://evil")', published: false });
    clock.advance(HOUR / 2);
    await root.request('PATCH', '/api/users/alice', { secondFactorRequired: true });

    const byActor = (await root.request('GET', '/api/audit?actor=ALICE')).json.entries;
    expect(byActor.map((entry: { action: string }) => entry.action)).toEqual(['flag.create', 'session.login']);
    const byFamily = (await root.request('GET', '/api/audit?action=user')).json.entries;
    expect(byFamily.map((entry: { action: string }) => entry.action)).toEqual(['user.second_factor_required', 'user.add', 'user.add']);
    expect((await root.request('GET', `/api/audit?from=${t1 + HOUR / 4}&to=${t1 + HOUR}`)).json.entries).toHaveLength(1);
    expect((await root.request('GET', '/api/audit?potId=alpha')).json.entries).toHaveLength(1);
    expect((await root.request('GET', '/api/audit?action=DROP%20TABLE')).json.error).toMatchObject({ code: 'invalid_query', field: 'action' });
    expect((await root.request('GET', '/api/audit?from=yesterday')).json.error.field).toBe('from');

    expect((await alice.request('GET', '/api/audit.csv')).status).toBe(403);
    const csv = await root.request('GET', '/api/audit.csv?actor=alice');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="potwatch-audit.csv"');
    const lines = (csv.json as string).trim().split('\n');
    expect(lines[0]).toBe('id,at,actor,action,potId,target,before,after');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^\d+,\d{4}-\d\d-\d\dT[\d:.]+Z,alice,flag\.create,alpha,flag:\d+,,"\{/);
    // The note is inside a JSON cell, which begins with "{": nothing to run. A cell that starts with = gets an apostrophe.
    const flagged = await root.request('GET', '/api/audit.csv?action=flag');
    expect(flagged.json).toContain('""note"":""=HYPERLINK(\\""http://evil\\"")""');
    for (let i = 0; i < 3; i++) await root.request('GET', '/api/audit.csv');
    const limited = await root.request('GET', '/api/audit.csv');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('10');
  });
});
