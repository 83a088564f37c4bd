import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { paintedPixels } from '../helpers/canvas.js';
import { startHostSite, type HostSite } from '../helpers/host-page.js';
import { screenshotPath } from '../helpers/screenshots.js';
import { postReadings, startTestServer, webhookPot, type TestServer } from '../helpers/server.js';

const T0 = Date.UTC(2019, 0, 5, 9, 0);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The frame an <iframe> of the page shows, once it has one. */
async function frameOf(page: Page, selector: string): Promise<Frame> {
  await expect.poll(async () => (await (await page.$(selector))?.contentFrame()) != null, { timeout: 10_000 }).toBe(true);
  return (await (await page.$(selector))!.contentFrame())!;
}

/** Whether the embed in `frame` is drawn dark: its background's brightness, 0 to 255. */
const backgroundBrightness = (frame: Frame) =>
  frame.evaluate(() => {
    const [r, g, b] = getComputedStyle(document.querySelector('.embed')!).backgroundColor.match(/\d+/g)!.map(Number);
    return (r! + g! + b!) / 3;
  });

describe('the newsroom kit in Chromium: pots side by side, the web component', () => {
  let browser: Browser;
  let server: TestServer;
  let host: HostSite;

  beforeAll(async () => {
    [browser, server, host] = await Promise.all([
      launchChromium(),
      startTestServer({
        pots: [webhookPot('early', { title: 'Early pot' }), webhookPot('late', { title: 'Late pot' })],
      }),
      startHostSite(),
    ]);
    // The late pot starts three hours after the early one, and grows faster.
    await postReadings(server.url, 'early', Array.from({ length: 60 }, (_, i) => ({ at: T0 + i * 5 * MINUTE, amount: 100 + i * 200, contributors: 2 + i * 4 })));
    await postReadings(server.url, 'late', Array.from({ length: 60 }, (_, i) => ({ at: T0 + 3 * HOUR + i * 5 * MINUTE, amount: 50 + i * 900, contributors: 1 + i * 15 })));
  });
  afterAll(async () => {
    await Promise.all([browser?.close(), server?.dispose(), host?.close()]);
  });

  const firstX = (page: Page | Frame, potId: string) => page.locator(`[data-testid=compare-table] tr[data-pot=${potId}]`).getAttribute('data-first-x');

  it('puts both pots’ first readings at x=0 with align=start, on the calendar otherwise, and stays live', async () => {
    const page = await browser.newPage({ locale: 'en-GB', timezoneId: 'UTC', viewport: { width: 1000, height: 900 } });
    await page.goto(`${server.url}/compare?pots=early,late&align=start`);
    await expect.poll(() => firstX(page, 'early'), { timeout: 10_000 }).toBe('0');
    expect(await firstX(page, 'late')).toBe('0');
    await expect.poll(() => paintedPixels(page), { timeout: 10_000 }).toBeGreaterThan(1000);
    const legend = page.getByTestId('compare-legend');
    expect(await legend.textContent()).toContain('€53,150');
    await page.screenshot({ path: screenshotPath('compare.png') });

    await postReadings(server.url, 'late', { at: T0 + 8 * HOUR, amount: 60000, contributors: 950 });
    await expect.poll(() => legend.textContent(), { timeout: 10_000 }).toContain('€60,000');

    await page.getByRole('radio', { name: 'On the calendar' }).click();
    await expect.poll(() => firstX(page, 'late'), { timeout: 10_000 }).toBe(String(T0 + 3 * HOUR));
    expect(await firstX(page, 'early')).toBe(String(T0));
    expect(page.url()).toContain('align=calendar');
  });

  it('embeds the comparison, drawn before any script, and refuses one that names a pot twice or too few', async () => {
    const still = await (await browser.newContext({ locale: 'en-GB', javaScriptEnabled: false })).newPage();
    await still.goto(`${server.url}/embed/compare?pots=early,late&metric=contributors`);
    expect(await still.locator('[data-still-chart] polyline').count()).toBe(2);
    expect(await firstX(still, 'late')).toBe('0');
    expect(await still.getByTestId('compare-legend').textContent()).toMatch(/Early pot.*238.*Late pot/s);
    await still.screenshot({ path: screenshotPath('compare-embed-without-script.png') });

    const page = await browser.newPage({ locale: 'en-GB', timezoneId: 'UTC' });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => message.type() === 'warning' && message.text().includes('hydration') && errors.push(message.text()));
    await page.goto(`${server.url}/embed/compare?pots=early,late&metric=contributors`);
    await expect.poll(() => page.locator('[data-still-chart]').count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => paintedPixels(page), { timeout: 10_000 }).toBeGreaterThan(1000);
    expect(await firstX(page, 'late')).toBe('0');
    await expect.poll(() => page.getByTestId('compare-legend').textContent()).toContain('Late pot');
    expect(errors).toEqual([]);
    for (const query of ['pots=early', 'pots=early,early', 'pots=early,late&align=sideways']) {
      const response = await fetch(`${server.url}/embed/compare?${query}`);
      expect(response.status, query).toBe(400);
    }
    expect((await fetch(`${server.url}/embed/compare?pots=early,nowhere`)).status).toBe(404);
  });

  it('draws bars of what each hour added in an embed with view=rate', async () => {
    const page = await browser.newPage({ locale: 'en-GB', timezoneId: 'UTC' });
    await page.goto(`${server.url}/embed/early?view=rate&bucket=1h`);
    const rows = page.getByTestId('rate-table').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(4);
    // Twelve readings an hour, EUR 200 apart.
    expect(await page.getByTestId('rate-table').textContent()).toContain('€2,400');
    await expect.poll(() => paintedPixels(page), { timeout: 10_000 }).toBeGreaterThan(1000);
  });

  it('<potwatch-chart theme="auto"> on another origin follows the host’s colour scheme, and the host switches theme and language at run time', async () => {
    const article = host.page('/component', `<potwatch-chart pot="early" theme="auto"></potwatch-chart><script src="${server.url}/embed.js" async></script>`);
    const page = await browser.newPage({ locale: 'en-GB', timezoneId: 'UTC', colorScheme: 'dark' });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(article);
    const frame = await frameOf(page, 'potwatch-chart iframe');
    await expect.poll(() => frame.locator('.embed').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => backgroundBrightness(frame), { timeout: 10_000 }).toBeLessThan(80);
    const heightBefore = await page.$eval('potwatch-chart iframe', (element) => element.getBoundingClientRect().height);
    expect(heightBefore).toBeGreaterThan(300);

    // The reader's system turns light: the host page follows, and the chart with it.
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => backgroundBrightness(frame), { timeout: 10_000 }).toBeGreaterThan(180);

    // The host's own controls: attributes on the element, or the documented message to the frame.
    await page.$eval('potwatch-chart', (element) => element.setAttribute('lang', 'fr'));
    await expect.poll(() => frame.locator('html').getAttribute('lang'), { timeout: 10_000 }).toBe('fr');
    await expect.poll(() => frame.locator('.embed').textContent(), { timeout: 10_000 }).toContain('Participants');
    await page.$eval('potwatch-chart iframe', (element: HTMLIFrameElement) =>
      element.contentWindow!.postMessage({ 'potwatch-set': { theme: 'dark', lang: 'en' } }, '*'),
    );
    await expect.poll(() => backgroundBrightness(frame), { timeout: 10_000 }).toBeLessThan(80);
    await expect.poll(() => frame.locator('html').getAttribute('lang'), { timeout: 10_000 }).toBe('en');
    // Nothing reloaded the frame: the same document took every change.
    expect(await frame.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);
    await page.screenshot({ path: screenshotPath('web-component-dark.png') });
    expect(errors).toEqual([]);
  });
});
