import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { paintedPixels } from '../helpers/canvas.js';
import { startHostSite, type HostSite } from '../helpers/host-page.js';
import { postReadings, startTestServer, webhookPot, type TestServer } from '../helpers/server.js';
import { screenshotPath } from '../helpers/screenshots.js';

const T0 = Date.UTC(2019, 0, 8, 9, 0);
const MINUTE = 60_000;

/** The frame an <iframe> of the page shows, once it has one. */
async function frameOf(page: Page, selector: string): Promise<Frame> {
  await expect.poll(async () => (await (await page.$(selector))?.contentFrame()) != null).toBe(true);
  return (await (await page.$(selector))!.contentFrame())!;
}

const frameHeight = (page: Page, selector: string) =>
  page.$eval(selector, (frame: HTMLIFrameElement) => frame.getBoundingClientRect().height);
const contentHeight = (frame: Frame) => frame.evaluate(() => document.documentElement.getBoundingClientRect().height);

describe('newsroom embed in Chromium', () => {
  let browser: Browser;
  let server: TestServer;
  let host: HostSite;
  let amount = 3075;
  let contributors = 122;

  beforeAll(async () => {
    [browser, server, host] = await Promise.all([
      launchChromium(),
      startTestServer({ pots: [webhookPot('alpha', { title: 'Alpha pot', platform: 'Leetchi', goal: 10000, goalMinor: 1000000 })] }),
      startHostSite(),
    ]);
    await postReadings(
      server.url,
      'alpha',
      Array.from({ length: 120 }, (_, i) => ({ at: T0 + i * MINUTE, amount: 100 + i * 25, contributors: 3 + i })),
    );
  });
  afterAll(async () => {
    await Promise.all([browser?.close(), server?.dispose(), host?.close()]);
  });

  /** One more reading, later than the others. */
  async function newReading(): Promise<void> {
    amount += 5925;
    contributors += 278;
    const at = T0 + (contributors - 3) * MINUTE;
    expect((await postReadings(server.url, 'alpha', { at, amount, contributors })).status).toBe(200);
  }

  it('from the two-line snippet: sizes itself, stays live, in dark theme and French', async () => {
    const article = host.page(
      '/snippet',
      `<div data-potwatch="alpha" data-theme="dark" data-lang="fr" data-tz="Europe/Paris"><a href="${server.url}/pots/alpha">Alpha pot</a></div>` +
        `<script src="${server.url}/embed.js" async></script>`,
    );
    const page = await browser.newPage({ locale: 'en-GB', viewport: { width: 800, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(article);

    const iframe = page.locator('[data-potwatch] iframe');
    expect(await iframe.getAttribute('loading')).toBe('lazy');
    expect(await iframe.getAttribute('src')).toBe(`${server.url}/embed/alpha?theme=dark&lang=fr&tz=Europe%2FParis`);
    const frame = await frameOf(page, '[data-potwatch] iframe');
    await expect.poll(() => frame.getByTestId('amount').textContent()).toMatch(/^3\s075\s€$/);
    await expect.poll(() => paintedPixels(frame)).toBeGreaterThan(1000);

    // The host learnt the pot's title for screen readers, and the frame's height from its content.
    await expect.poll(() => iframe.getAttribute('title')).toBe('Alpha pot : graphique en direct (Potwatch)');
    await expect.poll(async () => Math.abs((await frameHeight(page, '[data-potwatch] iframe')) - (await contentHeight(frame)))).toBeLessThanOrEqual(1);
    const closedHeight = await frameHeight(page, '[data-potwatch] iframe');
    await frame.getByText('Les chiffres en tableau').click();
    await expect.poll(() => frameHeight(page, '[data-potwatch] iframe')).toBeGreaterThan(closedHeight + 100);
    await expect.poll(async () => Math.abs((await frameHeight(page, '[data-potwatch] iframe')) - (await contentHeight(frame)))).toBeLessThanOrEqual(1);
    expect(await frame.locator('table tbody tr').count()).toBe(12);
    expect(await frame.locator('table tbody tr th').first().textContent()).toBe('8 janv. 2019, 11:59 UTC+1');

    expect(await frame.locator('html').getAttribute('lang')).toBe('fr');
    expect(await frame.locator('html').getAttribute('data-theme')).toBe('dark');
    expect(await frame.locator('.embed').evaluate((element) => getComputedStyle(element).backgroundColor)).toBe('rgb(26, 29, 36)');
    expect(await frame.locator('dt', { hasText: 'Participants' }).count()).toBe(1);
    expect(await frame.getByText('Données : Leetchi, via Potwatch').count()).toBe(1);
    expect((await frame.locator('.badge').textContent())!.replace(/\s+/g, ' ').trim()).toBe('En direct Dernier relevé 8 janv. 2019, 11:59 UTC+1');
    expect(await frame.getByTestId('announcement').textContent()).toMatch(/^3\s075\s€ collectés auprès de 122 participants, à 8 janv\. 2019, 11:59 UTC\+1$/);

    const before = await paintedPixels(frame);
    await newReading();
    await expect.poll(() => frame.getByTestId('amount').textContent()).toMatch(/^9\s000\s€$/);
    await expect.poll(() => frame.getByTestId('contributors').textContent()).toBe('400');
    await expect.poll(() => paintedPixels(frame)).not.toBe(before);
    await frame.getByText('Les chiffres en tableau').click();
    await expect.poll(() => frameHeight(page, '[data-potwatch] iframe')).toBeLessThan(closedHeight + 10);
    await page.screenshot({ path: screenshotPath('embed.png') });

    // Without a childId the embed speaks only its own message, never pym's.
    const received = await page.evaluate(() => (window as unknown as { received: { data: unknown }[] }).received);
    expect(received.some((message) => typeof message.data === 'string' && message.data.startsWith('pym'))).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('mounts each of several snippets on one page once, and sizes each frame', async () => {
    const snippet = (options: string) =>
      `<div data-potwatch="alpha" ${options}></div><script src="${server.url}/embed.js" async></script>`;
    const article = host.page('/two', snippet('data-counters="0" data-height="150"') + snippet('data-title="0"'));
    const page = await browser.newPage({ locale: 'en-GB' });
    await page.addInitScript(() => {
      const counted = window as unknown as { framesAdded: number };
      counted.framesAdded = 0;
      new MutationObserver((records) => {
        for (const record of records) for (const node of record.addedNodes) if (node.nodeName === 'IFRAME') counted.framesAdded++;
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(article);
    const frames = [await frameOf(page, 'div[data-potwatch]:nth-of-type(1) iframe'), await frameOf(page, 'div[data-potwatch]:nth-of-type(2) iframe')];
    for (const [index, frame] of frames.entries()) {
      await expect.poll(() => paintedPixels(frame)).toBeGreaterThan(500);
      const selector = `div[data-potwatch]:nth-of-type(${index + 1}) iframe`;
      await expect.poll(async () => Math.abs((await frameHeight(page, selector)) - (await contentHeight(frame)))).toBeLessThanOrEqual(1);
    }
    expect(await frames[0]!.getByTestId('amount').count()).toBe(0);
    expect(await frames[1]!.locator('h1').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { framesAdded: number }).framesAdded)).toBe(2);
    expect(await page.evaluate(() => typeof (window as { potwatch?: { scan?: unknown } }).potwatch?.scan)).toBe('function');
    await page.close();
  });

  it('fits a phone-width frame, and catches up after its connection drops', async () => {
    const page = await browser.newPage({ locale: 'en-GB', viewport: { width: 300, height: 700 }, isMobile: true });
    await page.goto(`${server.url}/embed/alpha?counters=1`);
    await expect.poll(() => page.getByTestId('contributors').textContent()).toBe(String(contributors));
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    for (const socket of server.io.sockets.sockets.values()) socket.conn.close();
    await expect.poll(() => page.getByText('Connection lost, reconnecting…').count()).toBe(1);
    await newReading();
    await expect.poll(() => page.getByTestId('contributors').textContent(), { timeout: 10_000 }).toBe(String(contributors));
    await expect.poll(() => page.getByText('Connection lost, reconnecting…').count()).toBe(0);
    await page.close();
  });

  it('speaks the pym.js child protocol when pym gives it a childId', async () => {
    const article = host.page('/pym', `<div id="chart-1"><iframe src="${server.url}/embed/alpha?childId=chart-1&initialWidth=640&counters=0" style="width:100%;border:0"></iframe></div>`);
    const page = await browser.newPage({ locale: 'en-GB' });
    await page.goto(article);
    const frame = await frameOf(page, '#chart-1 iframe');
    await expect.poll(() => paintedPixels(frame)).toBeGreaterThan(1000);
    const height = Math.ceil(await contentHeight(frame));
    const received = () => page.evaluate(() => (window as unknown as { received: { origin: string; data: unknown }[] }).received);
    await expect.poll(async () => (await received()).map((message) => message.data)).toContainEqual(`pymxPYMxchart-1xPYMxheightxPYMx${height}`);
    await expect.poll(async () => (await received()).map((message) => message.data)).toContainEqual({ 'potwatch-height': height });
    expect(new Set((await received()).map((message) => message.origin))).toEqual(new Set([server.url]));
    expect(await frame.getByTestId('amount').count()).toBe(0);

    // A pym parent asks for the height again by sending the width.
    await page.evaluate(() => ((window as unknown as { received: unknown[] }).received.length = 0));
    await page.$eval('#chart-1 iframe', (iframe: HTMLIFrameElement) => iframe.contentWindow!.postMessage('pymxPYMxchart-1xPYMxwidthxPYMx640', '*'));
    await expect.poll(async () => (await received()).map((message) => message.data)).toContainEqual(`pymxPYMxchart-1xPYMxheightxPYMx${height}`);
    await page.close();
  });

  it('cannot frame the dashboard from another site, while the embed loads', async () => {
    const article = host.page(
      '/framing',
      `<iframe id="dashboard" src="${server.url}/pots/alpha"></iframe><iframe id="embed" src="${server.url}/embed/alpha"></iframe>`,
    );
    const page = await browser.newPage({ locale: 'en-GB' });
    const refusals: string[] = [];
    page.on('console', (message) => {
      if (/frame-ancestors/.test(message.text())) refusals.push(message.text());
    });
    const dashboardAnswered = page.waitForResponse((response) => response.url() === `${server.url}/pots/alpha`);
    await page.goto(article);
    expect((await dashboardAnswered).status()).toBe(200);

    const embed = await frameOf(page, '#embed');
    await expect.poll(() => embed.getByTestId('amount').count()).toBe(1);
    await expect.poll(() => refusals.length).toBeGreaterThan(0);
    // Chromium shows its own error page in place of the refused document.
    const dashboard = (await (await page.$('#dashboard'))!.contentFrame())!;
    expect(dashboard.url()).toMatch(/^chrome-error:/);
    expect(await dashboard.evaluate(() => document.getElementById('app') === null && document.querySelector('canvas') === null)).toBe(true);
    await page.close();
  });

  it('hands out the snippet from the pot page, with a live preview', async () => {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1000, height: 1400 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const page = await context.newPage();
    await page.goto(`${server.url}/pots/alpha`);
    await page.getByText('Embed this chart').click();
    await page.getByTestId('embed-theme').selectOption('dark');
    await page.getByTestId('embed-lang').selectOption('fr');
    await page.getByTestId('embed-counters').uncheck();
    const snippet =
      `<div data-potwatch="alpha" data-theme="dark" data-lang="fr" data-counters="0"></div>\n` +
      `<script src="${server.url}/embed.js" async></script>`;
    await expect.poll(() => page.getByTestId('embed-code').inputValue()).toBe(snippet);
    await page.getByRole('button', { name: 'Copy the code' }).click();
    await expect.poll(() => page.getByText('Copied.').count()).toBe(1);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);

    const preview = page.getByTestId('embed-preview');
    expect(await preview.getAttribute('src')).toBe(`${server.url}/embed/alpha?theme=dark&lang=fr&counters=0`);
    const frame = await frameOf(page, '[data-testid="embed-preview"]');
    await expect.poll(() => frame.getByText('Données : Leetchi, via Potwatch').count()).toBe(1);
    await expect.poll(async () => Math.abs((await frameHeight(page, '[data-testid="embed-preview"]')) - (await contentHeight(frame)))).toBeLessThanOrEqual(1);

    await page.getByLabel('Theme colour').uncheck();
    // Dark theme chosen above: a dark curve colour would make its axis labels unreadable.
    await page.getByLabel('Curve colour', { exact: true }).fill('#333333');
    await expect.poll(() => page.getByTestId('accent-warning').count()).toBe(1);
    await page.getByLabel('Curve colour', { exact: true }).fill('#ff9a9a');
    await expect.poll(() => page.getByTestId('accent-warning').count()).toBe(0);
    await context.close();
  });
});
