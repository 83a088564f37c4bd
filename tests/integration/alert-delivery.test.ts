import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { AlertNotice } from '../../shared/alerts.js';
import { potConfigSchema, type PotConfig } from '../../shared/pot-config.js';
import type { AlertsOptions } from '../../server/alerts/alerts.js';
import { listMigrations, migrate } from '../../server/db/database.js';
import { OutboxRepository } from '../../server/db/outbox-repository.js';
import { startAlertReceiver, type AlertReceiver, type Answer } from '../helpers/alert-receiver.js';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { startFakeSource } from '../helpers/fake-source.js';
import { addUser, Client, FAST_SCRYPT, signedIn } from '../helpers/moderation.js';
import { connectViewer, nextEvent, postReadings, startTestServer, webhookPot, type TestServer } from '../helpers/server.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

/** Fast tries, so that giving up happens within a test: the real schedule is in DEFAULT_RETRY. */
const QUICK: AlertsOptions = { retry: { firstDelayMs: 50, maxDelayMs: 200, maxAttempts: 4 }, timeoutMs: 500, pollMs: 50 };

async function adminServer(pots: PotConfig[], alerts: AlertsOptions = {}): Promise<{ server: TestServer; admin: Client }> {
  const server = closeAfterTest(
    await startTestServer({ pots, moderation: { scryptCost: FAST_SCRYPT }, sourcesAllowHosts: ['127.0.0.1'], alerts }),
  );
  await addUser(server, 'root', 'admin');
  await addUser(server, 'alice', 'moderator');
  return { server, admin: await signedIn(server, 'root') };
}

/** Makes a webhook alert to the receiver, which then checks signatures with its secret. */
async function webhookAlert(admin: Client, receiver: AlertReceiver, fields: Record<string, unknown>): Promise<number> {
  const answer = await admin.request('POST', '/api/alerts', { kind: 'webhook', target: `${receiver.url}/hook`, ...fields });
  expect(answer.status, JSON.stringify(answer.json)).toBe(201);
  expect(answer.json.secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
  receiver.expectSecret(answer.json.secret);
  const listed = await admin.request('GET', '/api/alerts');
  expect(JSON.stringify(listed.json)).not.toContain(answer.json.secret);
  return answer.json.alert.id;
}

/**
 * Sends a test through the alert's queue and waits for it: a target's deliveries go out in
 * order, so whatever was queued before has arrived by then.
 */
async function drain(admin: Client, receiver: AlertReceiver, alertId: number): Promise<void> {
  const { json } = await admin.request('POST', `/api/alerts/${alertId}/test`);
  await waitFor(() => receiver.tries.some((entry) => entry.deliveryId === json.delivery), 'the test delivery');
  receiver.tries.splice(receiver.tries.findIndex((entry) => entry.deliveryId === json.delivery), 1);
}

/** Adds the January 2019 police pot as a replay run at once, and waits for it to finish. */
async function addReplayedPolicePot(server: TestServer, admin: Client): Promise<void> {
  const created = await admin.request('POST', '/api/pots', {
    id: 'police',
    title: 'Soutien aux forces de l’ordre',
    goal: 1_000_000,
    source: { kind: 'replay', scenario: 'police-2019', speed: 1_000_000, loop: false },
  });
  expect(created.status).toBe(201);
  await waitFor(() => server.states.statusInfo('police').status === 'paused', 'the replay to finish', 15_000);
}

const FLAG = (from: number) => ({ from, to: from + 60_000, reason: 'night_surge', published: true });
const NIGHT = Date.UTC(2026, 0, 9, 22);

describe('alert deliveries to real local receivers', () => {
  it('a chat webhook hears of each new suggestion and each milestone within seconds: signed, in order, each once', async () => {
    const { server, admin } = await adminServer([]);
    const chat = closeAfterTest(await startAlertReceiver());
    await webhookAlert(admin, chat, { events: ['suggestion', 'milestone'], milestoneEvery: 250_000 });
    await addReplayedPolicePot(server, admin);
    await waitFor(() => chat.tries.length >= 8, 'three suggestions and five milestones', 5000);

    const notices = chat.tries.map((entry) => entry.notice);
    const milestones = notices.filter((notice): notice is Extract<AlertNotice, { event: 'milestone' }> => notice.event === 'milestone');
    expect(milestones.map((notice) => [notice.milestone, notice.reached])).toEqual([
      [250_000, 'step'],
      [500_000, 'step'],
      [750_000, 'step'],
      [1_000_000, 'goal'],
      [1_250_000, 'step'],
    ]);
    for (const notice of milestones) expect(notice.amount).toBeGreaterThanOrEqual(notice.milestone);
    expect(milestones[3]!.text).toMatch(/^“Soutien aux forces de l’ordre” reached its goal of €1,000,000\.00: €1,0\d\d,\d\d\d\.\d\d from \d{2},\d{3} contributors \(10\d% of €1,000,000\.00\)\.$/);
    const suggestions = notices.filter((notice) => notice.event === 'suggestion');
    expect(suggestions.map((notice) => notice.event === 'suggestion' && notice.suggestion.kind).sort()).toEqual(['duplicate-names', 'freeze-catch-up', 'too-regular']);
    for (const entry of chat.tries) {
      expect(entry).toMatchObject({ signed: true, contentType: 'application/json', event: entry.notice.event, acknowledged: true });
      expect(entry.notice.text.length).toBeGreaterThan(20);
      expect(entry.notice.event !== 'test' && entry.notice.url).toMatch(new RegExp(`^${server.url}/pots/police`));
    }
    for (const entry of chat.tries.filter((candidate) => candidate.notice.event === 'suggestion')) {
      const url = new URL(entry.notice.event === 'suggestion' ? entry.notice.url : '');
      expect(url.searchParams.get('from')).toBe(new Date(entry.notice.event === 'suggestion' ? entry.notice.suggestion.from : 0).toISOString());
      // Within seconds of being stored, as a phone would buzz.
      expect(entry.receivedAt - entry.notice.at).toBeLessThan(3000);
    }
    expect(chat.distinctIds()).toHaveLength(chat.tries.length);

    const listed = await admin.request('GET', '/api/alerts');
    expect(listed.json.alerts).toEqual([
      expect.objectContaining({ kind: 'webhook', events: ['suggestion', 'milestone'], milestoneEvery: 250_000, deliveries: { pending: 0, delivered: 8, failed: 0 } }),
    ]);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/potwatch_outbox_deliveries_total\{channel="alert"\} 8/);
    expect(metrics).toMatch(/potwatch_outbox_queue_depth\{channel="alert",status="pending"\} 0/);
  });

  it('announces a flag when it is published, at creation or later, and never a draft', async () => {
    const { server, admin } = await adminServer([webhookPot('alpha'), webhookPot('beta')]);
    const newsroom = closeAfterTest(await startAlertReceiver());
    const alertId = await webhookAlert(admin, newsroom, { events: ['flag'], pots: ['alpha'] });
    const alice = await signedIn(server, 'alice');
    const published = await alice.request('POST', '/api/pots/alpha/flags', FLAG(NIGHT));
    const draft = await alice.request('POST', '/api/pots/alpha/flags', { ...FLAG(NIGHT + 120_000), published: false });
    await alice.request('POST', '/api/pots/beta/flags', FLAG(NIGHT));
    await waitFor(() => newsroom.tries.length === 1, 'the published flag');
    expect((await alice.request('PATCH', `/api/flags/${draft.json.flag.id}`, { note: 'still a draft' })).status).toBe(200);
    expect((await alice.request('PATCH', `/api/flags/${draft.json.flag.id}`, { published: true })).status).toBe(200);
    await waitFor(() => newsroom.tries.length === 2, 'the flag published later');
    expect((await alice.request('PATCH', `/api/flags/${draft.json.flag.id}`, { resolved: true })).status).toBe(200);
    expect(newsroom.tries.map((entry) => entry.notice)).toEqual([
      expect.objectContaining({ event: 'flag', potId: 'alpha', flag: { id: published.json.flag.id, reason: 'night_surge', from: NIGHT, to: NIGHT + 60_000 } }),
      expect.objectContaining({ event: 'flag', potId: 'alpha', flag: expect.objectContaining({ id: draft.json.flag.id }) }),
    ]);
    expect(JSON.stringify(newsroom.tries[1]!.notice)).not.toContain('still a draft');
    await drain(admin, newsroom, alertId);
    expect(newsroom.tries).toHaveLength(2);
  });

  it('tells when a live pot turns stale because its source fails, once, with the reason', async () => {
    const api = closeAfterTest(await startFakeSource(() => ({ body: JSON.stringify({ amount: 100, count: 3 }), headers: { 'content-type': 'application/json' } })));
    const pot = potConfigSchema.parse({
      id: 'api-pot',
      title: 'Pot api-pot',
      source: { kind: 'http-json', url: api.url, everySeconds: 0.1, amount: '/amount', contributors: '/count', maxBackoffSeconds: 1 },
    });
    const { server, admin } = await adminServer([pot]);
    const moderators = closeAfterTest(await startAlertReceiver());
    const alertId = await webhookAlert(admin, moderators, { events: ['stale'] });
    await waitFor(() => server.states.statusInfo('api-pot').status === 'live', 'the pot to be live');
    api.respond(() => ({ status: 503 }));
    await waitFor(() => moderators.tries.length === 1, 'the stale alert', 5000);
    expect(moderators.tries[0]!.notice).toMatchObject({ event: 'stale', potId: 'api-pot', reason: expect.stringContaining('HTTP 503'), amount: 100, contributors: 3 });
    expect(moderators.tries[0]!.notice.text).toMatch(/^“Pot api-pot” is stale: .*503.*\. Last reading: /);
    // Back to live, then failing again at once: a flapping source rings once per quarter of an hour.
    api.respond(() => ({ body: JSON.stringify({ amount: 101, count: 4 }), headers: { 'content-type': 'application/json' } }));
    await waitFor(() => server.states.statusInfo('api-pot').status === 'live', 'the pot to be live again', 5000);
    api.respond(() => ({ status: 503 }));
    await waitFor(() => server.states.statusInfo('api-pot').status === 'stale', 'the pot to be stale again', 5000);
    await drain(admin, moderators, alertId);
    expect(moderators.tries).toHaveLength(1);
  });

  it('retries a receiver that fails, hangs or cuts the line, keeps each target’s order, gives up visibly, and delivers on the retry button', async () => {
    const { server, admin } = await adminServer([webhookPot('alpha')], QUICK);
    const flaky = closeAfterTest(await startAlertReceiver((n) => (n < 2 ? { kind: 'status', status: 500 } : { kind: 'ok' })));
    const cutting = closeAfterTest(await startAlertReceiver((n) => (n === 0 ? { kind: 'close' } : { kind: 'ok' })));
    const slow = closeAfterTest(await startAlertReceiver(() => ({ kind: 'slow', delayMs: 200 })));
    let deadAnswer: Answer = { kind: 'hang' };
    const dead = closeAfterTest(await startAlertReceiver(() => deadAnswer));
    const ids = {
      flaky: await webhookAlert(admin, flaky, { events: ['flag'] }),
      cutting: await webhookAlert(admin, cutting, { events: ['flag'] }),
      slow: await webhookAlert(admin, slow, { events: ['flag'] }),
      dead: await webhookAlert(admin, dead, { events: ['flag'] }),
    };
    const alice = await signedIn(server, 'alice');
    const flags: number[] = [];
    for (let k = 0; k < 3; k++) flags.push((await alice.request('POST', '/api/pots/alpha/flags', FLAG(NIGHT + k * 600_000))).json.flag.id);

    // The healthy receivers have everything while the dead one still holds its first delivery.
    await waitFor(() => [flaky, cutting, slow].every((receiver) => receiver.acknowledged().length === 3), 'the healthy receivers', 10_000);
    expect(dead.tries.length).toBeLessThan(QUICK.retry!.maxAttempts);
    for (const receiver of [flaky, cutting, slow, dead]) {
      const order = receiver.tries.map((entry) => (entry.notice.event === 'flag' ? entry.notice.flag.id : -1));
      // A target's deliveries arrive in the order they were queued: a later one never before an earlier one is acknowledged.
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(receiver.tries.every((entry) => entry.signed)).toBe(true);
    }
    expect(flaky.tries.map((entry) => entry.answer)).toEqual(['status', 'status', 'ok', 'ok', 'ok']);
    expect(flaky.tries[0]!.deliveryId).toBe(flaky.tries[2]!.deliveryId);
    expect(cutting.tries.map((entry) => entry.answer)).toEqual(['close', 'ok', 'ok', 'ok']);
    expect(slow.tries).toHaveLength(3);

    // Meanwhile the live path never waited on the dead receiver.
    const viewer = closeAfterTest(await connectViewer(server.url));
    await viewer.emitWithAck('subscribe', { potId: 'alpha' });
    const heard = nextEvent(viewer, 'reading');
    expect((await postReadings(server.url, 'alpha', { amount: 10, contributors: 1 })).status).toBe(200);
    await heard;

    // The dead receiver's first delivery is given up after its last try, and then the next ones.
    const deadAlert = async () => (await admin.request('GET', '/api/alerts')).json.alerts.find((alert: { id: number }) => alert.id === ids.dead);
    await waitFor(() => dead.tries.length >= 3 * QUICK.retry!.maxAttempts, 'every try of the dead receiver', 20_000);
    await expect.poll(async () => (await deadAlert()).deliveries, { timeout: 5000 }).toEqual({ pending: 0, delivered: 0, failed: 3 });
    expect((await deadAlert()).lastError).toBe('no answer within 0.5 s');
    const deliveries = (await admin.request('GET', `/api/alerts/${ids.dead}/deliveries`)).json.deliveries;
    expect(deliveries).toHaveLength(3);
    for (const delivery of deliveries) {
      expect(delivery).toMatchObject({ event: 'flag', potId: 'alpha', status: 'failed', attempts: QUICK.retry!.maxAttempts, lastError: 'no answer within 0.5 s', deliveredAt: null, nextAttemptAt: null });
    }
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/potwatch_outbox_failures_total\{channel="alert",outcome="given_up"\} 3/);
    expect(metrics).toMatch(/potwatch_outbox_queue_depth\{channel="alert",status="failed"\} 3/);

    deadAnswer = { kind: 'ok' };
    const retried = await admin.request('POST', `/api/alerts/${ids.dead}/retry`);
    expect(retried).toMatchObject({ status: 202, json: { retried: 3 } });
    await waitFor(() => dead.acknowledged().length === 3, 'the retried deliveries', 5000);
    expect(dead.acknowledged().map((entry) => entry.notice.event === 'flag' && entry.notice.flag.id)).toEqual(flags);
    expect((await deadAlert()).deliveries).toEqual({ pending: 0, delivered: 3, failed: 0 });
    expect((await deadAlert()).lastError).toBeUndefined();
  });

  it('writes each alert’s notices in its language: French money, dates and evidence for a French newsroom, English for the others', async () => {
    const { server, admin } = await adminServer([]);
    const french = closeAfterTest(await startAlertReceiver());
    const english = closeAfterTest(await startAlertReceiver());
    const unspecified = closeAfterTest(await startAlertReceiver());
    const wanted = { events: ['suggestion', 'milestone', 'flag'], milestoneEvery: 500_000 };
    const ids = {
      french: await webhookAlert(admin, french, { ...wanted, lang: 'fr' }),
      english: await webhookAlert(admin, english, { ...wanted, lang: 'en' }),
      unspecified: await webhookAlert(admin, unspecified, wanted),
    };
    expect((await admin.request('GET', '/api/alerts')).json.alerts.map((alert: { id: number; lang: string }) => [alert.id, alert.lang])).toEqual([
      [ids.french, 'fr'],
      [ids.english, 'en'],
      [ids.unspecified, 'en'],
    ]);
    await addReplayedPolicePot(server, admin);
    const alice = await signedIn(server, 'alice');
    expect((await alice.request('POST', '/api/pots/police/flags', FLAG(Date.UTC(2019, 0, 9, 23)))).status).toBe(201);
    for (const receiver of [french, english, unspecified]) {
      await waitFor(() => receiver.tries.length >= 6, 'three suggestions, two milestones and a flag', 5000);
    }

    const byEvent = (receiver: AlertReceiver, event: AlertNotice['event']) => receiver.tries.map((entry) => entry.notice).filter((notice) => notice.event === event);
    const [step, goal] = byEvent(french, 'milestone');
    // Intl's French figures: a narrow no-break space between thousands, a no-break space before the euro sign and the percent sign.
    expect(step!.text).toMatch(
      /^« Soutien aux forces de l’ordre » a dépassé 500\u202f000,00\u00a0€ : 5\d\d\u202f\d{3},\d\d\u00a0€ collectés auprès de \d{2}\u202f\d{3} participants \(5\d\u00a0% de l’objectif de 1\u202f000\u202f000,00\u00a0€\)\.$/,
    );
    expect(goal!.text).toMatch(/^« Soutien aux forces de l’ordre » a atteint son objectif de 1\u202f000\u202f000,00\u00a0€ : /);
    expect(byEvent(english, 'milestone')[0]!.text).toMatch(/^“Soutien aux forces de l’ordre” passed €500,000\.00: €5\d\d,\d{3}\.\d\d from \d{2},\d{3} contributors \(5\d% of €1,000,000\.00\)\.$/);

    const frenchSuggestions = byEvent(french, 'suggestion');
    expect(frenchSuggestions).toHaveLength(3);
    for (const notice of frenchSuggestions) {
      if (notice.event !== 'suggestion') continue;
      const { summary, summaryFr } = notice.suggestion;
      expect(summaryFr).toBeTruthy();
      expect(summaryFr).not.toBe(summary);
      expect(notice.text).toMatch(/^Nouvelle suggestion sur « Soutien aux forces de l’ordre » \((trop régulier|gel puis rattrapage \(file d’attente\)|noms ou messages répétés), du \d{1,2} janv\. 2019, \d\d:\d\d UTC au \d{1,2} janv\. 2019, \d\d:\d\d UTC\) : /);
      expect(notice.text.endsWith(` : ${summaryFr}`)).toBe(true);
    }
    for (const notice of byEvent(english, 'suggestion')) {
      if (notice.event !== 'suggestion') continue;
      expect(notice.text).toMatch(/^New suggestion on “Soutien aux forces de l’ordre” \((too regular|freeze, then catch-up \(backlog\)|repeated names or messages), \d{1,2} Jan 2019, \d\d:\d\d UTC to \d{1,2} Jan 2019, \d\d:\d\d UTC\): /);
      expect(notice.text.endsWith(`: ${notice.suggestion.summary}`)).toBe(true);
    }
    expect(byEvent(french, 'flag')[0]!.text).toBe('Signalement publié sur « Soutien aux forces de l’ordre » (hausse nocturne, du 9 janv. 2019, 23:00 UTC au 9 janv. 2019, 23:01 UTC).');
    expect(byEvent(english, 'flag')[0]!.text).toBe('Flag published on “Soutien aux forces de l’ordre” (night surge, 9 Jan 2019, 23:00 UTC to 9 Jan 2019, 23:01 UTC).');

    // Only the line for people differs: tools read the same fields whatever the language.
    const withoutText = (receiver: AlertReceiver) => receiver.tries.map(({ notice: { text: _text, ...fields } }) => fields);
    expect(withoutText(french)).toEqual(withoutText(english));
    // An alert made without a language is English.
    expect(unspecified.tries.map((entry) => entry.notice)).toEqual(english.tries.map((entry) => entry.notice));

    const test = await admin.request('POST', `/api/alerts/${ids.french}/test`);
    await waitFor(() => french.tries.some((entry) => entry.deliveryId === test.json.delivery), 'the French test');
    expect(french.tries.at(-1)!.notice.text).toBe(`Alerte de test de Potwatch (${server.url}) : ce destinataire reçoit bien ses alertes.`);
    const listed = (await admin.request('GET', `/api/alerts/${ids.french}/deliveries`)).json.deliveries;
    expect(listed[0].text).toMatch(/^Alerte de test de Potwatch/);
  });

  it('keeps an alert stored before alerts had a language in English, and its queued delivery as it was written', async () => {
    const folder = makeTempDir();
    closeAfterTest({ close: folder.remove });
    const receiver = closeAfterTest(await startAlertReceiver());
    const secret = 'a-secret-from-before-0123';
    receiver.expectSecret(secret);
    const databasePath = path.join(folder.dir, 'potwatch.db');
    const before = new BetterSqlite3(databasePath);
    migrate(before, listMigrations().filter((migration) => migration.name < '011_alert_language.sql'));
    const { lastInsertRowid } = before
      .prepare(`INSERT INTO alerts (kind, target, secret, events, created_by, created_at) VALUES ('webhook', ?, ?, '["flag"]', 'root', 0)`)
      .run(`${receiver.url}/hook`, secret);
    const alertId = Number(lastInsertRowid);
    const queued = new OutboxRepository(before).add(
      { channel: 'alert', targetKey: `alert:${alertId}`, event: 'test', payload: { event: 'test', at: 0, potId: null, text: 'Queued before the upgrade.' } },
      Date.now(),
    );
    before.close();

    const server = closeAfterTest(
      await startTestServer({ pots: [webhookPot('alpha')], moderation: { scryptCost: FAST_SCRYPT }, sourcesAllowHosts: ['127.0.0.1'] }, databasePath),
    );
    await addUser(server, 'root', 'admin');
    await addUser(server, 'alice', 'moderator');
    const admin = await signedIn(server, 'root');
    expect((await admin.request('GET', '/api/alerts')).json.alerts).toEqual([expect.objectContaining({ id: alertId, lang: 'en' })]);
    await waitFor(() => receiver.tries.length === 1, 'the delivery queued before the upgrade');
    expect(receiver.tries[0]).toMatchObject({ deliveryId: queued, signed: true, notice: { text: 'Queued before the upgrade.' } });
    const alice = await signedIn(server, 'alice');
    expect((await alice.request('POST', '/api/pots/alpha/flags', FLAG(NIGHT))).status).toBe(201);
    await waitFor(() => receiver.tries.length === 2, 'the flag');
    expect(receiver.tries[1]!.notice.text).toBe('Flag published on “Pot alpha” (night surge, 9 Jan 2026, 22:00 UTC to 9 Jan 2026, 22:01 UTC).');
  });

  it('sends a test to the target on request, through the same queue', async () => {
    const { admin } = await adminServer([]);
    const receiver = closeAfterTest(await startAlertReceiver());
    const id = await webhookAlert(admin, receiver, { events: ['milestone'], milestoneEvery: 1000 });
    const test = await admin.request('POST', `/api/alerts/${id}/test`);
    expect(test.status).toBe(202);
    await waitFor(() => receiver.tries.length === 1, 'the test delivery');
    expect(receiver.tries[0]).toMatchObject({ deliveryId: test.json.delivery, event: 'test', signed: true, notice: { event: 'test', potId: null } });
    expect(receiver.tries[0]!.notice.text).toMatch(/^Test alert from Potwatch/);
    expect((await admin.request('POST', '/api/alerts/999/test')).status).toBe(404);
  });
});
