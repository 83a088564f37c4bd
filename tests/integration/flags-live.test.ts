import { describe, expect, it } from 'vitest';
import type { FlagEvent } from '../../shared/events.js';
import type { ModeratorFlag } from '../../shared/flags.js';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { connectViewer, nextEvent, postReadings, startTestServer, webhookPot } from '../helpers/server.js';
import { addUser, connectModerator, FAST_SCRYPT, signedIn, testClock } from '../helpers/moderation.js';
import { waitFor } from '../helpers/wait-for.js';

const FROM = Date.UTC(2019, 0, 9, 23);
const TO = Date.UTC(2019, 0, 10, 6);
const NOTE = 'Possible bots: same message "Courage" x40';

/** Collects every event of a kind a socket receives, for asserting on the whole sequence. */
function record<T>(socket: { on(event: 'flag', listener: (event: T) => void): unknown }): T[] {
  const events: T[] = [];
  socket.on('flag', (event) => events.push(event));
  return events;
}

describe('live flags: public viewers see only what is published', () => {
  async function start(moderation: Record<string, unknown> = {}) {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')], moderation: { scryptCost: FAST_SCRYPT, ...moderation } }));
    await addUser(server, 'alice', 'moderator');
    return server;
  }

  it('never sends drafts, notes or authors to a public socket through a whole flag lifecycle', async () => {
    const server = await start();
    const viewer = closeAfterTest(await connectViewer(server.url));
    await viewer.emitWithAck('subscribe', { potId: 'alpha' });
    const publicEvents = record<FlagEvent>(viewer);
    const rawFrames: string[] = [];
    viewer.io.engine.on('packet', (packet: { data?: unknown }) => rawFrames.push(String(packet.data ?? '')));

    const alice = await signedIn(server, 'alice');
    const moderatorSocket = closeAfterTest(await connectModerator(server.url, alice));
    expect(await moderatorSocket.emitWithAck('subscribe', { potId: 'alpha' })).toEqual({ ok: true });
    const moderatorEvents = record<FlagEvent<ModeratorFlag>>(moderatorSocket);

    const draft = (await alice.request('POST', '/api/pots/alpha/flags', { from: FROM, to: TO, reason: 'night_surge', note: NOTE, published: false })).json.flag;
    await waitFor(() => moderatorEvents.length === 1, 'flag event 1 to moderators');
    await alice.request('PATCH', `/api/flags/${draft.id}`, { note: `${NOTE} (draft edit)` });
    await waitFor(() => moderatorEvents.length === 2, 'flag event 2 to moderators');
    expect(publicEvents).toEqual([]);

    await alice.request('PATCH', `/api/flags/${draft.id}`, { published: true });
    await waitFor(() => publicEvents.length === 1, 'flag event 1 to the public');
    expect(publicEvents[0]).toEqual({ potId: 'alpha', flag: { id: draft.id, potId: 'alpha', from: FROM, to: TO, reason: 'night_surge', resolved: false } });

    await alice.request('PATCH', `/api/flags/${draft.id}`, { note: 'only the note changes' });
    await alice.request('PATCH', `/api/flags/${draft.id}`, { reason: 'too_regular', to: TO + 1000 });
    await waitFor(() => publicEvents.length === 2, 'flag event 2 to the public');
    expect(publicEvents[1]!.flag).toEqual({ id: draft.id, potId: 'alpha', from: FROM, to: TO + 1000, reason: 'too_regular', resolved: false });

    await alice.request('PATCH', `/api/flags/${draft.id}`, { published: false, reason: 'identical_gifts' });
    await waitFor(() => publicEvents.length === 3, 'flag event 3 to the public');
    expect(publicEvents[2]).toEqual({ potId: 'alpha', flag: { id: draft.id }, removed: true });

    await alice.request('DELETE', `/api/flags/${draft.id}`);
    const second = (await alice.request('POST', '/api/pots/alpha/flags', { from: FROM, to: TO, reason: 'other', note: NOTE, published: true })).json.flag;
    await alice.request('DELETE', `/api/flags/${second.id}`);
    await waitFor(() => publicEvents.length === 5, 'flag event 5 to the public');
    expect(publicEvents[3]!.flag).toEqual({ id: second.id, potId: 'alpha', from: FROM, to: TO, reason: 'other', resolved: false });
    expect(publicEvents[4]).toEqual({ potId: 'alpha', flag: { id: second.id }, removed: true });

    await waitFor(() => moderatorEvents.length === 9, 'flag event 9 to moderators');
    expect(moderatorEvents[0]!.flag).toMatchObject({ id: draft.id, note: NOTE, published: false, createdBy: 'alice' });
    expect(moderatorEvents[6]).toEqual({ potId: 'alpha', flag: { id: draft.id }, removed: true });

    expect(rawFrames.some((frame) => frame.includes('too_regular'))).toBe(true);
    const everythingPublic = JSON.stringify(publicEvents) + rawFrames.join('\n');
    for (const secret of ['Courage', 'draft edit', 'only the note', 'identical_gifts', 'alice', 'note', 'published', 'createdBy']) {
      expect(everythingPublic).not.toContain(secret);
    }
  });

  it('tells viewers of other pots nothing', async () => {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha'), webhookPot('beta')], moderation: { scryptCost: FAST_SCRYPT } }));
    await addUser(server, 'alice', 'moderator');
    const viewer = closeAfterTest(await connectViewer(server.url));
    await viewer.emitWithAck('subscribe', { potId: 'beta' });
    const events = record<FlagEvent>(viewer);
    const probe = closeAfterTest(await connectViewer(server.url));
    await probe.emitWithAck('subscribe', { potId: 'alpha' });
    const alice = await signedIn(server, 'alice');
    const probed = nextEvent(probe, 'flag');
    await alice.request('POST', '/api/pots/alpha/flags', { from: FROM, to: TO, reason: 'other', published: true });
    await probed;
    // A reading of beta sent after the flag: once the viewer has it, a flag event sent to it before would have arrived.
    const later = nextEvent(viewer, 'reading');
    await postReadings(server.url, 'beta', { at: FROM, amount: 1, contributors: 1 });
    await later;
    expect(events).toEqual([]);
  });

  it('admits to the moderators’ namespace only a live session with its CSRF token', async () => {
    const server = await start();
    await expect(connectModerator(server.url, {})).rejects.toThrow('not_signed_in');
    const alice = await signedIn(server, 'alice');
    await expect(connectModerator(server.url, { cookie: alice.cookie })).rejects.toThrow('bad_csrf_token');
    await expect(connectModerator(server.url, { cookie: alice.cookie, csrfToken: 'x'.repeat(43) })).rejects.toThrow('bad_csrf_token');
    await expect(connectModerator(server.url, { csrfToken: alice.csrfToken })).rejects.toThrow('not_signed_in');
    const socket = closeAfterTest(await connectModerator(server.url, alice));
    expect(await socket.emitWithAck('subscribe', { potId: 'nope' })).toMatchObject({ ok: false, error: { field: 'potId' } });
    expect(await socket.emitWithAck('subscribe', 'garbage' as never)).toMatchObject({ ok: false });
  });

  it('disconnects a moderator’s sockets at sign-out', async () => {
    const server = await start();
    const alice = await signedIn(server, 'alice');
    const socket = closeAfterTest(await connectModerator(server.url, alice));
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    await alice.request('DELETE', '/api/session');
    expect(await closed).toBe('io server disconnect');
  });

  it('disconnects a moderator’s socket once the session expires', async () => {
    const clock = testClock();
    const server = await start({ now: clock.now, socketSweepMs: 20 });
    const alice = await signedIn(server, 'alice');
    const socket = closeAfterTest(await connectModerator(server.url, alice));
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    clock.advance(61 * 60_000);
    expect(await closed).toBe('io server disconnect');
    await expect(connectModerator(server.url, alice)).rejects.toThrow('not_signed_in');
  });
});
