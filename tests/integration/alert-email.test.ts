import { describe, expect, it } from 'vitest';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { addUser, FAST_SCRYPT, signedIn } from '../helpers/moderation.js';
import { postReadings, startTestServer, webhookPot } from '../helpers/server.js';
import { startSmtpInbox } from '../helpers/smtp-inbox.js';
import { waitFor } from '../helpers/wait-for.js';

const TITLE = 'Cagnotte <b>“Léa & Marc”</b>';

describe('e-mail alerts through a real SMTP server', () => {
  it('sends each milestone as plain text and HTML with the pot’s name, figures and link, and retries a busy mail server', async () => {
    const inbox = closeAfterTest(await startSmtpInbox((n) => n === 0));
    const server = closeAfterTest(
      await startTestServer({
        pots: [webhookPot('lea', { title: TITLE, goal: 250, goalMinor: 25_000 })],
        moderation: { scryptCost: FAST_SCRYPT },
        alerts: {
          smtp: { url: inbox.url, from: 'Potwatch <alerts@potwatch.test>' },
          publicUrl: 'https://potwatch.example.org',
          retry: { firstDelayMs: 50, maxDelayMs: 100, maxAttempts: 5 },
          pollMs: 50,
        },
      }),
    );
    await addUser(server, 'root', 'admin');
    const admin = await signedIn(server, 'root');
    const created = await admin.request('POST', '/api/alerts', { kind: 'email', target: 'desk@newsroom.test', events: ['milestone'], milestoneEvery: 100 });
    expect(created.status).toBe(201);
    expect(created.json.secret).toBeUndefined();

    expect((await postReadings(server.url, 'lea', { at: Date.now() - 1000, amount: 120.5, contributors: 7 })).status).toBe(200);
    expect((await postReadings(server.url, 'lea', { at: Date.now(), amount: 260, contributors: 12 })).status).toBe(200);
    await waitFor(() => inbox.mails.length === 3, 'three e-mails', 10_000);
    expect(inbox.refused).toBe(1);

    expect(inbox.mails.map((mail) => mail.subject)).toEqual([
      `Potwatch: “${TITLE}” passed €100.00`,
      `Potwatch: “${TITLE}” passed €200.00`,
      `Potwatch: “${TITLE}” reached its goal`,
    ]);
    const [first, , goal] = inbox.mails;
    expect(first!.from?.value).toEqual([{ name: 'Potwatch', address: 'alerts@potwatch.test' }]);
    expect(first!.to && 'text' in first!.to ? first!.to.text : '').toBe('desk@newsroom.test');
    expect(first!.headers.get('x-potwatch-event')).toBe('milestone');
    expect(first!.headers.get('x-potwatch-delivery')).toMatch(/^[0-9a-f-]{36}$/);
    expect(first!.text).toContain(`“${TITLE}” passed €100.00: €120.50 from 7 contributors (48% of €250.00).`);
    expect(first!.text).toContain('Raised: €120.50');
    expect(first!.text).toContain('Contributors: 7');
    expect(first!.text).toContain('https://potwatch.example.org/pots/lea');
    expect(goal!.text).toContain('reached its goal of €250.00: €260.00 from 12 contributors (104% of €250.00).');
    // The HTML part shows the untrusted title as text, never as markup.
    expect(goal!.html).toContain('Cagnotte &#60;b&#62;“Léa &#38; Marc”&#60;/b&#62;');
    expect(goal!.html).not.toContain('<b>“Léa');
    expect(goal!.html).toContain('<a href="https://potwatch.example.org/pots/lea">');
    const list = (await admin.request('GET', '/api/alerts')).json.alerts;
    expect(list[0].deliveries).toEqual({ pending: 0, delivered: 3, failed: 0 });
  });

  it('writes a French alert’s e-mails in French: subject, plain text and HTML, with French figures and dates', async () => {
    const inbox = closeAfterTest(await startSmtpInbox());
    const server = closeAfterTest(
      await startTestServer({
        pots: [webhookPot('lea', { title: TITLE, goal: 2500, goalMinor: 250_000 })],
        moderation: { scryptCost: FAST_SCRYPT },
        alerts: { smtp: { url: inbox.url, from: 'Potwatch <alerts@potwatch.test>' }, publicUrl: 'https://potwatch.example.org', pollMs: 50 },
      }),
    );
    await addUser(server, 'root', 'admin');
    const admin = await signedIn(server, 'root');
    const created = await admin.request('POST', '/api/alerts', { kind: 'email', target: 'redaction@journal.test', events: ['milestone'], milestoneEvery: 1000, lang: 'fr' });
    expect(created).toMatchObject({ status: 201, json: { alert: { lang: 'fr' } } });

    const at = Date.UTC(2019, 0, 10, 7, 45);
    expect((await postReadings(server.url, 'lea', { at, amount: 1250.5, contributors: 1 })).status).toBe(200);
    await waitFor(() => inbox.mails.length === 1, 'the milestone e-mail', 10_000);
    const [mail] = inbox.mails;
    expect(mail!.subject).toBe(`Potwatch : « ${TITLE} » a dépassé 1\u202f000,00\u00a0€`);
    const line = `« ${TITLE} » a dépassé 1\u202f000,00\u00a0€ : 1\u202f250,50\u00a0€ collectés auprès de 1 participant (50\u00a0% de l’objectif de 2\u202f500,00\u00a0€).`;
    expect(mail!.text).toBe(
      [line, '', `Cagnotte : ${TITLE} (lea)`, 'Collecté : 1\u202f250,50\u00a0€', 'Participants : 1', 'Date : 10 janv. 2019, 07:45 UTC', '', 'https://potwatch.example.org/pots/lea', ''].join('\n'),
    );
    expect(mail!.html).toContain('<html lang="fr">');
    expect(mail!.html).toContain('<th align="left">Collecté</th><td>1\u202f250,50\u00a0€</td>');
    expect(mail!.html).toContain('<th align="left">Date</th><td>10 janv. 2019, 07:45 UTC</td>');

    const test = await admin.request('POST', `/api/alerts/${created.json.alert.id}/test`);
    expect(test.status).toBe(202);
    await waitFor(() => inbox.mails.length === 2, 'the test e-mail', 10_000);
    expect(inbox.mails[1]!.subject).toBe('Potwatch : alerte de test');
    expect(inbox.mails[1]!.text).toMatch(/^Alerte de test de Potwatch \(https:\/\/potwatch\.example\.org\) : ce destinataire reçoit bien ses alertes\.\n\nDate : /);
  });
});
