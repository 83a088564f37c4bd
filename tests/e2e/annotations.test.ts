import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { amountColumnsShare, paintedPixels } from '../helpers/canvas.js';
import { chromiumForSuite } from '../helpers/chromium-for-suite.js';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { addUser, FAST_SCRYPT, signedIn, signInThroughDialog } from '../helpers/moderation.js';
import { screenshotPath } from '../helpers/screenshots.js';
import { postReadings, startTestServer, webhookPot } from '../helpers/server.js';

const T0 = Date.UTC(2019, 0, 9, 18, 0);
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe('context annotations, in Chromium', () => {
  const browser = chromiumForSuite();

  it('a moderator taps the chart and writes what happened; an open anonymous embed shows it without reload, and a new one shows it before its script', async () => {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha', { title: 'Alpha pot' })], moderation: { scryptCost: FAST_SCRYPT } }));
    await addUser(server, 'mo', 'moderator');
    await postReadings(server.url, 'alpha', Array.from({ length: 180 }, (_, i) => ({ at: T0 + i * MINUTE, amount: 100 + i * 30, contributors: 1 + i })));
    const errors: string[] = [];

    const readerContext = await browser().newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    readerContext.on('weberror', (error) => errors.push(error.error().message));
    const embed = await readerContext.newPage();
    await embed.goto(`${server.url}/embed/alpha?lang=fr`);
    await expect.poll(() => paintedPixels(embed)).toBeGreaterThan(1000);
    expect(await embed.getByTestId('annotation-list').count()).toBe(0);

    const moderatorContext = await browser().newContext({ locale: 'en-GB', timezoneId: 'Europe/Paris', viewport: { width: 1100, height: 1200 } });
    moderatorContext.on('weberror', (error) => errors.push(error.error().message));
    const page = await moderatorContext.newPage();
    await page.goto(`${server.url}/pots/alpha`);
    await signInThroughDialog(page, 'mo');
    await expect.poll(() => page.getByRole('heading', { name: 'Context on the chart' }).count()).toBe(1);
    await expect.poll(() => paintedPixels(page)).toBeGreaterThan(1000);

    // A tap in the middle of the chart takes the time under it.
    const box = (await page.locator('canvas').first().boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.5);
    const when = page.getByLabel('When');
    await expect.poll(() => when.inputValue()).toMatch(/^2019-01-09T2\d:\d\d:\d\d$/);
    await page.getByLabel('Label in English').fill('TV appeal on the evening news');
    await page.getByLabel('Label in French (optional)').fill('Appel au journal télévisé du soir');
    await page.getByRole('button', { name: 'Add', exact: true }).click();

    // The open embed hears of it: listed in French, marked on its chart.
    const listed = embed.getByTestId('annotation-list');
    await expect.poll(() => listed.textContent(), { timeout: 10_000 }).toContain('Appel au journal télévisé du soir');
    await expect.poll(() => page.getByTestId('annotation-list').textContent()).toContain('TV appeal on the evening news');
    await embed.screenshot({ path: screenshotPath('annotated-embed.png') });
    // The share image carries the moment too.
    const image = await fetch(`${server.url}/embed/alpha/chart.png?width=800&height=420`);
    expect(image.headers.get('content-type')).toBe('image/png');
    await writeFile(screenshotPath('chart.png'), Buffer.from(await image.arrayBuffer()));

    // A new reader gets it in the page itself, before any script.
    const noScript = await browser().newContext({ locale: 'en-GB', javaScriptEnabled: false });
    const still = await noScript.newPage();
    await still.goto(`${server.url}/embed/alpha?lang=en`);
    expect(await still.getByTestId('annotation-list').textContent()).toContain('TV appeal on the evening news');
    expect(await still.locator('[data-still-chart] line[stroke-dasharray]').count()).toBe(1);
    const hidden = await noScript.newPage();
    await hidden.goto(`${server.url}/embed/alpha?lang=en&annotations=0`);
    expect(await hidden.getByTestId('annotation-list').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 90_000);

  it('keeps the time axis on the readings when a context note lies days before or after them', async () => {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')], moderation: { scryptCost: FAST_SCRYPT } }));
    await addUser(server, 'mo', 'moderator');
    await postReadings(server.url, 'alpha', Array.from({ length: 180 }, (_, i) => ({ at: T0 + i * MINUTE, amount: 100 + i * 30, contributors: 1 + i })));
    const moderator = await signedIn(server, 'mo');
    // A replay's story runs ahead of its readings; a real pot's context may start before them.
    for (const at of [T0 - 2 * DAY, T0 + 2 * DAY]) {
      expect((await moderator.request('POST', '/api/pots/alpha/annotations', { at: new Date(at).toISOString(), label: 'Far off' })).status).toBe(201);
    }
    const page = await browser().newPage({ locale: 'en-GB', viewport: { width: 1000, height: 800 } });
    await page.goto(`${server.url}/pots/alpha`);
    await expect.poll(() => page.getByTestId('annotation-list').textContent()).toContain('Far off');
    // The area under the amount curve spans the plot's width, not a sliver of five days.
    await expect.poll(() => amountColumnsShare(page)).toBeGreaterThan(0.7);
  });
});
