import { describe, expect, it } from 'vitest';
import type { PotConfig } from '../../shared/pot-config.js';
import { police2019Scenario } from '../../server/sources/scenarios/police-2019.js';
import type { SuggestionEvent } from '../../shared/events.js';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { addUser, Client, connectModerator, FAST_SCRYPT, signedIn } from '../helpers/moderation.js';
import { postReadings, startTestServer, webhookPot, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait-for.js';

const REPLAY: PotConfig = {
  id: 'police-replay',
  title: 'Replay',
  currency: 'EUR',
  goal: undefined,
  goalMinor: undefined,
  platform: undefined,
  source: { kind: 'replay', scenario: 'police-2019', speed: 1_000_000, loop: false },
};

const replayFinished = (server: TestServer) => waitFor(() => server.states.statusInfo(REPLAY.id).status === 'paused', 'the replay to finish', 10_000);

describe('suggestion queue API (moderators only)', () => {
  async function start(pots: PotConfig[]) {
    const server = closeAfterTest(await startTestServer({ pots, moderation: { scryptCost: FAST_SCRYPT } }));
    await addUser(server, 'alice', 'moderator');
    await addUser(server, 'root', 'admin');
    return server;
  }

  it('lists the replay pot suggestions to moderators, and to nobody else', async () => {
    const server = await start([REPLAY]);
    await replayFinished(server);

    const anonymous = await new Client(server.url).request('GET', `/api/pots/${REPLAY.id}/suggestions`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.error.code).toBe('not_signed_in');

    const alice = await signedIn(server, 'alice');
    const queue = await alice.request('GET', `/api/pots/${REPLAY.id}/suggestions`);
    expect(queue.status).toBe(200);
    expect(queue.headers.get('cache-control')).toBe('private, no-store');
    const kinds = queue.json.suggestions.map((s: { kind: string }) => s.kind).sort();
    expect(kinds).toEqual(['duplicate-names', 'freeze-catch-up', 'too-regular']);
    for (const suggestion of queue.json.suggestions) {
      expect(suggestion).toMatchObject({ potId: REPLAY.id, status: 'pending', flagId: null, decidedBy: null });
      expect(typeof suggestion.evidence.summary).toBe('string');
      expect(suggestion.score).toBeGreaterThanOrEqual(6);
    }
    expect((await alice.request('GET', '/api/pots/nope/suggestions')).status).toBe(404);
    expect((await alice.request('GET', `/api/pots/${REPLAY.id}/suggestions?status=maybe`)).json.error.field).toBe('status');
  });

  it('confirms a suggestion into a draft flag and dismisses another for good, both audited', async () => {
    const server = await start([REPLAY]);
    await replayFinished(server);
    const alice = await signedIn(server, 'alice');
    const { suggestions } = (await alice.request('GET', `/api/pots/${REPLAY.id}/suggestions`)).json;
    const night = suggestions.find((s: { kind: string }) => s.kind === 'too-regular');
    const backlog = suggestions.find((s: { kind: string }) => s.kind === 'freeze-catch-up');

    const noCsrf = await alice.request('POST', `/api/suggestions/${night.id}/confirm`, {}, { csrf: null });
    expect(noCsrf.status).toBe(403);
    const anonymous = await new Client(server.url).request('POST', `/api/suggestions/${night.id}/confirm`, {});
    expect(anonymous.status).toBe(401);

    const confirmed = await alice.request('POST', `/api/suggestions/${night.id}/confirm`, {});
    expect(confirmed.status).toBe(201);
    expect(confirmed.json.suggestion).toMatchObject({ id: night.id, status: 'confirmed', decidedBy: 'alice', flagId: confirmed.json.flag.id });
    expect(confirmed.json.flag).toMatchObject({
      potId: REPLAY.id,
      from: night.from,
      to: night.to,
      reason: 'too_regular',
      note: night.evidence.summary,
      published: false,
      createdBy: 'alice',
    });
    const flags = (await alice.request('GET', `/api/pots/${REPLAY.id}/flags`)).json.flags;
    expect(flags.map((flag: { id: number }) => flag.id)).toEqual([confirmed.json.flag.id]);
    expect((await new Client(server.url).request('GET', `/api/pots/${REPLAY.id}/flags`)).json.flags).toEqual([]);

    const dismissed = await alice.request('POST', `/api/suggestions/${backlog.id}/dismiss`, { note: 'platform backlog, known' });
    expect(dismissed.status).toBe(200);
    expect(dismissed.json.suggestion).toMatchObject({ status: 'dismissed', decidedBy: 'alice' });

    const again = await alice.request('POST', `/api/suggestions/${backlog.id}/confirm`, {});
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('suggestion_decided');
    expect((await alice.request('POST', '/api/suggestions/999999/dismiss', {})).status).toBe(404);
    expect((await alice.request('POST', '/api/suggestions/abc/dismiss', {})).json.error.field).toBe('sid');
    expect((await alice.request('POST', `/api/suggestions/${night.id}/confirm`, { published: 'yes' })).json.error.field).toBe('published');

    const pending = (await alice.request('GET', `/api/pots/${REPLAY.id}/suggestions`)).json.suggestions;
    expect(pending.map((s: { kind: string }) => s.kind)).toEqual(['duplicate-names']);
    const all = (await alice.request('GET', `/api/pots/${REPLAY.id}/suggestions?status=all`)).json.suggestions;
    expect(all.map((s: { status: string }) => s.status).sort()).toEqual(['confirmed', 'dismissed', 'pending']);

    const root = await signedIn(server, 'root');
    const audit = (await root.request('GET', `/api/audit?potId=${REPLAY.id}`)).json.entries;
    expect(audit.map((entry: { action: string }) => entry.action)).toEqual(['suggestion.dismiss', 'suggestion.confirm', 'flag.create']);
    expect(audit[2].after.origin).toBe(`suggestion:${night.id}`);
  });

  it('tells signed-in moderators of a new suggestion as the readings arrive', async () => {
    const server = await start([webhookPot('alpha')]);
    const alice = await signedIn(server, 'alice');
    const socket = closeAfterTest(await connectModerator(server.url, alice));
    expect(await socket.emitWithAck('subscribe', { potId: 'alpha' })).toEqual({ ok: true });
    const heard: SuggestionEvent[] = [];
    socket.on('suggestion', (event) => heard.push(event));

    const steps = police2019Scenario().steps;
    const untilCatchUp = steps.filter((step) => step.reading.at <= Date.UTC(2019, 0, 9, 17));
    for (let i = 0; i < untilCatchUp.length; i += 1000) {
      const body = untilCatchUp.slice(i, i + 1000).map(({ reading }) => ({
        at: reading.at,
        amount: (reading.amountMinor / 100).toFixed(2),
        contributors: reading.contributors,
      }));
      expect((await postReadings(server.url, 'alpha', body)).status).toBe(200);
    }
    await waitFor(() => heard.length > 0, 'a suggestion event');
    expect(heard[0]).toMatchObject({ potId: 'alpha', suggestion: { kind: 'freeze-catch-up', status: 'pending' } });
    const queue = (await alice.request('GET', '/api/pots/alpha/suggestions')).json.suggestions;
    expect(queue.map((s: { kind: string }) => s.kind)).toEqual(['freeze-catch-up']);
  });
});
