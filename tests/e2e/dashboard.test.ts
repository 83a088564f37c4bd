import { describe, expect, it } from 'vitest';
import { DEMO_POT } from '../../server/config/demo-pot.js';
import { paintedPixels } from '../helpers/canvas.js';
import { chromiumForSuite } from '../helpers/chromium-for-suite.js';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { postReadings, startTestServer, webhookPot } from '../helpers/server.js';
import { refreshingReadmePictures, screenshotPath } from '../helpers/screenshots.js';

const T0 = Date.UTC(2019, 0, 8, 9, 0);
const MINUTE = 60_000;

describe('dashboard in Chromium', () => {
  const browser = chromiumForSuite();

  it('shows counters that change live and a drawn chart', async () => {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha', { title: 'Alpha pot', goal: 10000, goalMinor: 1000000 })] }));
    await postReadings(
      server.url,
      'alpha',
      Array.from({ length: 120 }, (_, i) => ({ at: T0 + i * MINUTE, amount: 100 + i * 25, contributors: 3 + i })),
    );
    const page = await browser().newPage({ locale: 'en-GB', viewport: { width: 1000, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    await page.goto(`${server.url}/`);
    await page.getByRole('link', { name: /Alpha pot/ }).click();
    await expect.poll(() => page.url()).toBe(`${server.url}/pots/alpha`);
    await expect.poll(() => page.getByTestId('amount').textContent()).toBe('€3,075');
    await expect.poll(() => page.getByTestId('contributors').textContent()).toBe('122');
    await expect.poll(() => page.getByTestId('last-hour').textContent()).toBe('+€1,500');
    await expect.poll(() => paintedPixels(page)).toBeGreaterThan(1000);
    const before = await paintedPixels(page);

    await postReadings(server.url, 'alpha', { at: T0 + 130 * MINUTE, amount: 9000, contributors: 400 });
    await expect.poll(() => page.getByTestId('amount').textContent()).toBe('€9,000');
    await expect.poll(() => page.getByTestId('contributors').textContent()).toBe('400');
    await expect.poll(() => page.getByText('90% of the €10,000 goal').count()).toBe(1);
    await expect.poll(() => paintedPixels(page)).not.toBe(before);
    expect(errors).toEqual([]);
  });

  it('catches up after a dropped connection without a reload', async () => {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')] }));
    await postReadings(server.url, 'alpha', { at: T0, amount: 10, contributors: 1 });
    const page = await browser().newPage({ locale: 'en-GB' });
    await page.goto(`${server.url}/pots/alpha`);
    await expect.poll(() => page.getByTestId('contributors').textContent()).toBe('1');

    const catchUp = page.waitForRequest((request) => request.url().includes(`/series?from=${T0 + 1}`));
    for (const socket of await server.io.fetchSockets()) socket.disconnect(true);
    await postReadings(server.url, 'alpha', [
      { at: T0 + MINUTE, amount: 20, contributors: 2 },
      { at: T0 + 2 * MINUTE, amount: 35, contributors: 3 },
    ]);
    await catchUp;
    await expect.poll(() => page.getByTestId('contributors').textContent()).toBe('3');
    await expect.poll(() => page.getByTestId('amount').textContent()).toBe('€35');
  });

  it('narrows the chart to the last hour or day of data with the range picker', async () => {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')] }));
    const readings = Array.from({ length: 30 * 12 }, (_, i) => ({ at: T0 + i * 5 * MINUTE, amount: i, contributors: i }));
    await postReadings(server.url, 'alpha', readings);
    const latest = readings[readings.length - 1]!.at;
    const page = await browser().newPage({ locale: 'en-GB' });
    await page.goto(`${server.url}/pots/alpha`);
    await expect.poll(() => page.getByTestId('contributors').textContent()).toBe('359');

    const lastHour = page.waitForResponse((response) => response.url().includes(`from=${latest - 60 * MINUTE}`));
    await page.getByRole('radio', { name: '1 hour' }).click();
    const series = await (await lastHour).json();
    expect(series.points).toHaveLength(13);
    expect(await page.getByRole('radio', { name: '1 hour' }).getAttribute('aria-checked')).toBe('true');

    const lastDay = page.waitForResponse((response) => response.url().includes(`from=${latest - 24 * 60 * MINUTE}`));
    await page.getByRole('radio', { name: '24 hours' }).click();
    expect((await (await lastDay).json()).points).toHaveLength(24 * 12 + 1);
  });

  it('speaks French when the browser does, and switches language on demand', async () => {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')] }));
    await postReadings(server.url, 'alpha', { at: T0, amount: 1400000.5, contributors: 50123 });
    const page = await browser().newPage({ locale: 'fr-FR' });
    await page.goto(`${server.url}/pots/alpha`);
    await expect.poll(() => page.getByTestId('amount').textContent()).toMatch(/^1\s400\s001\s€$/);
    await expect.poll(() => page.getByText('Participants', { exact: true }).count()).toBeGreaterThan(0);
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await page.getByRole('button', { name: 'Show in English' }).click();
    await expect.poll(() => page.getByTestId('amount').textContent()).toBe('€1,400,001');
    await page.reload();
    await expect.poll(() => page.getByTestId('amount').textContent()).toBe('€1,400,001');
  });

  it('serves the built-in replay, labelled as such, moving within seconds (README screenshot)', async () => {
    const server = closeAfterTest(await startTestServer({ pots: [], demo: true }));
    const page = await browser().newPage({ locale: 'en-GB', viewport: { width: 1100, height: 900 } });
    await page.goto(`${server.url}/pots/${DEMO_POT.id}`);
    await expect.poll(() => page.getByTestId('replay-notice').textContent()).toContain('Replay of historical figures');
    // Read the count once the page shows one: until the first reading arrives it shows a dash, read as 0.
    await expect.poll(() => page.getByTestId('contributors').textContent()).toMatch(/\d/);
    const first = Number((await page.getByTestId('contributors').textContent())!.replace(/\D/g, ''));
    await expect
      .poll(async () => Number((await page.getByTestId('contributors').textContent())!.replace(/\D/g, '')), { timeout: 10_000 })
      .toBeGreaterThan(first);
    if (refreshingReadmePictures) {
      // The README's picture shows the replay's first hour, "last hour" figure included: about six seconds at 600×.
      await expect.poll(() => page.getByTestId('last-hour').textContent(), { timeout: 20_000 }).not.toBe('—');
    }
    await page.screenshot({ path: screenshotPath('dashboard.png') });
  });

  it('fits a phone-width screen without horizontal scrolling', async () => {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')] }));
    await postReadings(server.url, 'alpha', { at: T0, amount: 1400000, contributors: 50123 });
    const page = await browser().newPage({ locale: 'fr-FR', viewport: { width: 360, height: 740 }, isMobile: true });
    await page.goto(`${server.url}/pots/alpha`);
    await expect.poll(() => page.getByTestId('contributors').textContent()).toMatch(/50\s123/);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
