import { describe, expect, it } from 'vitest';
import type { PotConfig } from '../../shared/pot-config.js';
import { startAlertReceiver } from '../helpers/alert-receiver.js';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { addUser, FAST_SCRYPT, signedIn } from '../helpers/moderation.js';
import { postReadings, startTestServer, webhookPot } from '../helpers/server.js';
import { waitFor } from '../helpers/wait-for.js';

async function adminServer(pots: PotConfig[], sourcesAllowHosts: string[] = []) {
  const server = closeAfterTest(await startTestServer({ pots, moderation: { scryptCost: FAST_SCRYPT }, sourcesAllowHosts }));
  await addUser(server, 'root', 'admin');
  return { server, admin: await signedIn(server, 'root') };
}

const WEBHOOK = { kind: 'webhook', target: 'https://hooks.example/potwatch', events: ['suggestion'] };

describe('alerts API (admins)', () => {
  it('refuses bad alerts with the field at fault, and stores nothing', async () => {
    const { admin } = await adminServer([webhookPot('alpha')], ['hooks.example']);
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ ...WEBHOOK, kind: 'pager' }, 'kind', /must be webhook or email/],
      [{ ...WEBHOOK, target: 'ftp://hooks.example/x' }, 'target', /http:\/\/ or https:\/\/ URL/],
      [{ ...WEBHOOK, target: 'not a url' }, 'target', /URL/],
      [{ kind: 'email', target: 'not-an-address', events: ['flag'] }, 'target', /e-mail address/],
      [{ ...WEBHOOK, events: [] }, 'events', /at least one event/],
      [{ ...WEBHOOK, events: ['suggestion', 'suggestion'] }, 'events', /twice/],
      [{ ...WEBHOOK, events: ['payday'] }, 'events[0]', /milestone, suggestion, stale, flag/],
      [{ ...WEBHOOK, events: ['milestone'], milestoneEvery: 0.5 }, 'milestoneEvery', /at least 1/],
      [{ ...WEBHOOK, events: ['milestone'], milestoneEvery: '1000' }, 'milestoneEvery', /amount/],
      [{ ...WEBHOOK, milestoneEvery: 1000 }, 'milestoneEvery', /needs the milestone event/],
      [{ ...WEBHOOK, pots: [] }, 'pots', /at least one pot/],
      [{ ...WEBHOOK, pots: ['Alpha!'] }, 'pots[0]', /lowercase/],
      [{ ...WEBHOOK, pots: ['alpha', 'nope'] }, 'pots[1]', /there is no pot "nope"/],
      [{ ...WEBHOOK, secret: 'short' }, 'secret', /at least 16 characters/],
      [{ ...WEBHOOK, lang: 'de' }, 'lang', /must be one of en, fr/],
      [{ ...WEBHOOK, colour: 'red' }, 'colour', /not a field that can be set here/],
    ];
    for (const [body, field, message] of cases) {
      const answer = await admin.request('POST', '/api/alerts', body);
      expect({ body, status: answer.status, field: answer.json.error.field }).toEqual({ body, status: 400, field });
      expect(answer.json.error.message).toMatch(message);
    }
    expect((await admin.request('POST', '/api/alerts', '{"kind":')).json.error).toMatchObject({ code: 'invalid_json', field: 'body' });
    expect((await admin.request('DELETE', '/api/alerts/abc')).json.error).toMatchObject({ code: 'invalid_alert_id', field: 'aid' });
    expect((await admin.request('DELETE', '/api/alerts/42')).status).toBe(404);
    expect((await admin.request('POST', '/api/alerts/42/retry')).status).toBe(404);
    expect((await admin.request('GET', '/api/alerts')).json).toEqual({ alerts: [] });
  });

  it('refuses a webhook to this machine or its network unless SOURCES_ALLOW_HOSTS lists it, and e-mail without SMTP_URL', async () => {
    const { admin } = await adminServer([]);
    for (const target of ['http://127.0.0.1:8080/hook', 'http://[::1]/hook', 'http://10.1.2.3/hook', 'http://169.254.169.254/latest']) {
      const answer = await admin.request('POST', '/api/alerts', { ...WEBHOOK, target });
      expect({ target, status: answer.status, code: answer.json.error.code, field: answer.json.error.field }).toEqual({ target, status: 422, code: 'address_refused', field: 'target' });
      expect(answer.json.error.message).toMatch(/may not be reached: .* is a (loopback|private|link-local) address; an admin may allow it with SOURCES_ALLOW_HOSTS/);
    }
    const email = await admin.request('POST', '/api/alerts', { kind: 'email', target: 'desk@newsroom.example', events: ['milestone'] });
    expect(email).toMatchObject({ status: 422, json: { error: { code: 'email_not_configured', field: 'kind' } } });
    expect((await admin.request('GET', '/api/alerts')).json).toEqual({ alerts: [] });
  });

  it('makes, lists and deletes alerts, each audited without its secret; deleting forgets the queued deliveries', async () => {
    const receiver = closeAfterTest(await startAlertReceiver(() => ({ kind: 'hang' })));
    const { server, admin } = await adminServer([webhookPot('alpha', { goal: 1000, goalMinor: 100_000 })], ['127.0.0.1']);
    const own = await admin.request('POST', '/api/alerts', {
      kind: 'webhook',
      target: `${receiver.url}/hook`,
      events: ['milestone', 'flag'],
      pots: ['alpha'],
      milestoneEvery: 100,
      secret: 'a-secret-of-my-own-0123',
    });
    expect(own.status).toBe(201);
    expect(own.json).toEqual({
      alert: {
        id: expect.any(Number),
        kind: 'webhook',
        target: `${receiver.url}/hook`,
        events: ['milestone', 'flag'],
        pots: ['alpha'],
        milestoneEvery: 100,
        lang: 'en',
        createdBy: 'root',
        createdAt: expect.any(Number),
        deliveries: { pending: 0, delivered: 0, failed: 0 },
      },
    });
    // Two milestones queued; the receiver holds the first one, so both wait.
    expect((await postReadings(server.url, 'alpha', { amount: 250, contributors: 4 })).status).toBe(200);
    await waitFor(() => receiver.tries.length === 1, 'the first try');
    expect((await admin.request('GET', '/api/alerts')).json.alerts[0].deliveries).toEqual({ pending: 2, delivered: 0, failed: 0 });

    const audit = (await admin.request('GET', '/api/audit?limit=5')).json.entries;
    expect(audit[0]).toMatchObject({ actor: 'root', action: 'alert.create', target: `alert:${own.json.alert.id}` });
    expect(JSON.stringify(audit)).not.toContain('a-secret-of-my-own-0123');

    expect(await admin.request('DELETE', `/api/alerts/${own.json.alert.id}`)).toMatchObject({ status: 200, json: { deleted: own.json.alert.id } });
    expect((await admin.request('GET', '/api/alerts')).json).toEqual({ alerts: [] });
    expect((await admin.request('GET', `/api/alerts/${own.json.alert.id}/deliveries`)).status).toBe(404);
    expect((await admin.request('GET', '/api/audit?limit=1')).json.entries[0]).toMatchObject({ action: 'alert.delete', target: `alert:${own.json.alert.id}` });
  });
});
