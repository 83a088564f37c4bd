import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { potConfigSchema } from '../../shared/pot-config.js';
import { chromiumForSuite } from '../helpers/chromium-for-suite.js';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { startFakeSource } from '../helpers/fake-source.js';
import { startHostSite } from '../helpers/host-page.js';
import { addUser, FAST_SCRYPT, PASSWORD } from '../helpers/moderation.js';
import { postReadings, startTestServer, webhookPot } from '../helpers/server.js';
import { waitFor } from '../helpers/wait-for.js';

/** Markup that would run script or add an element if any of it were read as HTML. */
const markup = (mark: string) =>
  `<img src=x onerror="window.__pwned='${mark}'"><script>window.__pwned='${mark}'</script><b id="pw-${mark}">${mark}</b>`;
const TITLE = `Pot ${markup('title')}`;
const PLATFORM = `Platform <svg onload="window.__pwned='platform'"><b id="pw-platform">p</b>`;
const NOTE = `Note ${markup('note')} "quoted" & 'single' \u202e reversed`;
/** A page whose amount is text with markup in it: the reason the pot is stale quotes that text. */
const PAGE_AMOUNT = `&lt;img src=x onerror="window.__pwned='reason'"&gt;&lt;b id="pw-reason"&gt;soon&lt;/b&gt;`;

const T0 = Date.UTC(2019, 0, 9, 22);

/** What a page did with the hostile text: it must show it as text, run nothing and add no element. */
async function inspect(page: Page, marks: string[]) {
  return page.evaluate((ids) => {
    const found = ids.filter((id) => document.getElementById(`pw-${id}`) !== null);
    const images = document.querySelectorAll('img[src="x"], svg[onload]').length;
    return { pwned: (window as { __pwned?: unknown }).__pwned ?? null, injected: found, images };
  }, marks);
}

describe('hostile text in Chromium: shown as text, never run', () => {
  const browser = chromiumForSuite();

  async function newPage(): Promise<{ page: Page; dialogs: string[]; blocked: string[] }> {
    const context = closeAfterTest(await browser().newContext({ locale: 'en-GB' }));
    const page = await context.newPage();
    const dialogs: string[] = [];
    const blocked: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
    });
    return { page, dialogs, blocked };
  }

  it('renders pot titles, platforms, status reasons and moderator notes literally on every page, the chart image and the oEmbed snippet', async () => {
    const source = closeAfterTest(
      await startFakeSource(() => ({
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: `<html><body><span class="amount">${PAGE_AMOUNT}</span><span class="count">12</span></body></html>`,
      })),
    );
    const pagePot = potConfigSchema.parse({
      id: 'page-pot',
      title: TITLE,
      source: { kind: 'html', url: `${source.url}/pot`, everySeconds: 0.2, amount: '.amount', contributors: '.count' },
    });
    const server = closeAfterTest(
      await startTestServer({
        pots: [webhookPot('alpha', { title: TITLE, platform: PLATFORM }), pagePot],
        moderation: { scryptCost: FAST_SCRYPT },
      }),
    );
    await addUser(server, 'alice', 'moderator');
    await postReadings(server.url, 'alpha', Array.from({ length: 30 }, (_, i) => ({ at: T0 + i * 60_000, amount: 10 + i, contributors: i })));
    await waitFor(() => server.states.statusInfo('page-pot').reason?.includes('pw-reason') === true, 'the page pot to be stale with its reason');
    const allMarks = ['title', 'platform', 'reason', 'note'];

    const { page, dialogs, blocked } = await newPage();
    for (const path of ['/', '/pots/alpha', '/embed/alpha', '/pots/page-pot', '/embed/page-pot']) {
      await page.goto(`${server.url}${path}`);
      await expect.poll(() => page.locator('body').innerText(), { message: path }).toContain('<img src=x onerror=');
      expect(await inspect(page, allMarks), path).toEqual({ pwned: null, injected: [], images: 0 });
    }
    await page.goto(`${server.url}/pots/alpha`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(TITLE);
    await expect.poll(() => page.title()).toBe(`${TITLE} · Potwatch`);
    await expect.poll(() => page.locator('body').innerText()).toContain(PLATFORM);
    await page.goto(`${server.url}/pots/page-pot`);
    const reason = server.states.statusInfo('page-pot').reason!;
    expect(reason).toContain('<b id=\\"pw-reason\\">');
    await expect.poll(() => page.locator('body').innerText()).toContain(reason);

    // The still chart is an SVG document: opened on its own, any script in it would run.
    await page.goto(`${server.url}/embed/alpha/chart.svg`);
    expect(await page.evaluate(() => document.documentElement.textContent)).toContain('Pot <img src=x onerror=');
    expect(await inspect(page, allMarks)).toEqual({ pwned: null, injected: [], images: 0 });

    // The oEmbed snippet, pasted into an article without any policy, as a publishing tool would. The article
    // is served over HTTP from another origin: an about:blank page may not frame the embed, which would never load.
    const oembed = await (await fetch(`${server.url}/oembed?url=${encodeURIComponent(`${server.url}/pots/alpha`)}`)).json();
    const newsroom = closeAfterTest(await startHostSite());
    const host = await newPage();
    await host.page.goto(newsroom.page('/article', oembed.html));
    expect(await host.page.locator('iframe').getAttribute('title')).toContain(TITLE);
    // Once the embedded chart shows the pot and has written to the article, the host script has read its messages.
    await expect.poll(() => host.page.frameLocator('iframe').getByTestId('amount').textContent()).toMatch(/\d/);
    await expect.poll(() => host.page.evaluate(() => (window as { received?: unknown[] }).received?.length)).toBeGreaterThan(0);
    expect(await inspect(host.page, allMarks)).toEqual({ pwned: null, injected: [], images: 0 });
    expect(host.dialogs).toEqual([]);

    // A moderator's note, on the moderator's own view of the pot.
    const moderator = await newPage();
    const signIn = await moderator.page.request.post(`${server.url}/api/session`, { data: { name: 'alice', password: PASSWORD } });
    expect(signIn.status()).toBe(200);
    const csrfToken = (await signIn.json()).csrfToken as string;
    const flag = await moderator.page.request.post(`${server.url}/api/pots/alpha/flags`, {
      data: { from: T0, to: T0 + 600_000, reason: 'other', note: NOTE, published: true },
      headers: { 'X-CSRF-Token': csrfToken },
    });
    expect(flag.status()).toBe(201);
    await moderator.page.goto(`${server.url}/pots/alpha`);
    await expect.poll(() => moderator.page.getByTestId('moderator-flags').textContent()).toContain(NOTE);
    expect(await inspect(moderator.page, allMarks)).toEqual({ pwned: null, injected: [], images: 0 });

    expect(dialogs).toEqual([]);
    expect(moderator.dialogs).toEqual([]);
    // Nothing was even attempted: the policy had nothing inline to refuse.
    expect([...blocked, ...moderator.blocked]).toEqual([]);
  });
});
