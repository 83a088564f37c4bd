import { describe, expect, it } from 'vitest';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { addUser, Client, FAST_SCRYPT, signedIn } from '../helpers/moderation.js';
import { connectViewer, nextEvent, postReadings, startTestServer, webhookPot } from '../helpers/server.js';

const AT = Date.UTC(2019, 0, 10, 7, 40);

async function server() {
  const running = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha'), webhookPot('beta')], moderation: { scryptCost: FAST_SCRYPT } }));
  await addUser(running, 'mo', 'moderator');
  await addUser(running, 'ada', 'admin');
  return running;
}

describe('annotations: public context on the chart', () => {
  it('moderators add, change and remove them; every viewer of the pot hears at once, other pots hear nothing', async () => {
    const running = await server();
    const viewer = closeAfterTest(await connectViewer(running.url));
    await viewer.emitWithAck('subscribe', { potId: 'alpha' });
    const other = closeAfterTest(await connectViewer(running.url));
    await other.emitWithAck('subscribe', { potId: 'beta' });
    const heardByOther: unknown[] = [];
    other.on('annotation', (event) => heardByOther.push(event));

    const moderator = await signedIn(running, 'mo');
    const added = nextEvent(viewer, 'annotation');
    const created = await moderator.request('POST', '/api/pots/alpha/annotations', {
      at: '2019-01-10T07:40:00Z',
      label: { en: 'Bot protection switched on', fr: 'Protection anti-robots activée' },
      url: 'https://example.org/report',
    });
    expect(created.status).toBe(201);
    const annotation = created.json.annotation;
    expect(annotation).toEqual({ id: expect.any(Number), potId: 'alpha', at: AT, label: { en: 'Bot protection switched on', fr: 'Protection anti-robots activée' }, url: 'https://example.org/report' });
    expect(await added).toEqual({ potId: 'alpha', annotation });
    expect((await (await fetch(`${running.url}/api/pots/alpha/annotations`)).json()).annotations).toEqual([annotation]);

    const admin = await signedIn(running, 'ada');
    const changed = nextEvent(viewer, 'annotation');
    const patched = await admin.request('PATCH', `/api/annotations/${annotation.id}`, { label: 'TV appeal, 20:00', url: null });
    expect(patched.json.annotation).toEqual({ id: annotation.id, potId: 'alpha', at: AT, label: 'TV appeal, 20:00' });
    expect(await changed).toEqual({ potId: 'alpha', annotation: patched.json.annotation });

    const removed = nextEvent(viewer, 'annotation');
    expect((await moderator.request('DELETE', `/api/annotations/${annotation.id}`)).status).toBe(204);
    expect(await removed).toEqual({ potId: 'alpha', annotation: { id: annotation.id }, removed: true });
    expect((await (await fetch(`${running.url}/api/pots/alpha/annotations`)).json()).annotations).toEqual([]);
    expect(heardByOther).toEqual([]);

    const actions = (await admin.request('GET', '/api/audit?potId=alpha')).json.entries.map((entry: { action: string; actor: string }) => `${entry.actor} ${entry.action}`);
    expect(actions).toEqual(['mo annotation.delete', 'ada annotation.update', 'mo annotation.create']);
  });

  it('refuses anonymous callers and malformed annotations, naming the field and storing nothing', async () => {
    const running = await server();
    expect((await new Client(running.url).request('POST', '/api/pots/alpha/annotations', { at: AT, label: 'x' })).status).toBe(401);
    const moderator = await signedIn(running, 'mo');
    const cases: Array<[unknown, string]> = [
      [{ label: 'x' }, 'at'],
      [{ at: 'tomorrow', label: 'x' }, 'at'],
      [{ at: AT, label: '' }, 'label'],
      [{ at: AT, label: 'x'.repeat(121) }, 'label'],
      [{ at: AT, label: { en: 'only English' } }, 'label'],
      [{ at: AT, label: { en: 'a', fr: 'b', de: 'c' } }, 'label.de'],
      [{ at: AT, label: 'x', url: 'javascript:alert(1)' }, 'url'],
      [{ at: AT, label: 'x', colour: 'red' }, 'colour'],
    ];
    for (const [body, field] of cases) {
      const answer = await moderator.request('POST', '/api/pots/alpha/annotations', body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.json.error.field, JSON.stringify(body)).toBe(field);
    }
    expect((await moderator.request('POST', '/api/pots/nope/annotations', { at: AT, label: 'x' })).status).toBe(404);
    expect((await moderator.request('PATCH', '/api/annotations/999', { label: 'x' })).status).toBe(404);
    expect((await moderator.request('DELETE', '/api/annotations/abc')).json.error.field).toBe('aid');
    expect((await (await fetch(`${running.url}/api/pots/alpha/annotations`)).json()).annotations).toEqual([]);
  });
  it('exports them with the CSV, as rows of their own between the readings, when asked', async () => {
    const running = await server();
    await postReadings(running.url, 'alpha', [
      { at: AT - 60_000, amount: 10, contributors: 1 },
      { at: AT + 60_000, amount: 12.5, contributors: 2 },
    ]);
    const moderator = await signedIn(running, 'mo');
    await moderator.request('POST', '/api/pots/alpha/annotations', { at: AT, label: { en: '=HYPERLINK("x"), "quoted"', fr: 'Protection activée' } });
    await moderator.request('POST', '/api/pots/alpha/annotations', { at: AT + 3_600_000, label: 'Later', url: 'https://example.org/a,b' });
    const plain = await (await fetch(`${running.url}/api/pots/alpha/export.csv`)).text();
    expect(plain).toBe('at,amount,contributors\n2019-01-10T07:39:00.000Z,10.00,1\n2019-01-10T07:41:00.000Z,12.50,2\n');
    const annotated = await (await fetch(`${running.url}/api/pots/alpha/export.csv?annotations=en`)).text();
    expect(annotated).toBe(
      'at,amount,contributors,annotation,url\n' +
        '2019-01-10T07:39:00.000Z,10.00,1,,\n' +
        `2019-01-10T07:40:00.000Z,,,"'=HYPERLINK(""x""), ""quoted""",\n` +
        '2019-01-10T07:41:00.000Z,12.50,2,,\n' +
        '2019-01-10T08:40:00.000Z,,,Later,"https://example.org/a,b"\n',
    );
    expect(await (await fetch(`${running.url}/api/pots/alpha/export.csv?annotations=fr`)).text()).toContain(',,,Protection activée,');
    expect((await fetch(`${running.url}/api/pots/alpha/export.csv?annotations=de`)).status).toBe(400);
  });
});
