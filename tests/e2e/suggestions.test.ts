import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { PotConfig } from '../../shared/pot-config.js';
import { paintedPixels } from '../helpers/canvas.js';
import { chromiumForSuite } from '../helpers/chromium-for-suite.js';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { addUser, FAST_SCRYPT, signInThroughDialog } from '../helpers/moderation.js';
import { startTestServer } from '../helpers/server.js';
import { screenshotPath } from '../helpers/screenshots.js';
import { waitFor } from '../helpers/wait-for.js';

const REPLAY: PotConfig = {
  id: 'police-replay',
  title: 'Soutien aux forces de l’ordre (replay)',
  currency: 'EUR',
  goal: undefined,
  goalMinor: undefined,
  platform: 'Leetchi',
  source: { kind: 'replay', scenario: 'police-2019', speed: 1_000_000, loop: false },
};

/** Pixels of the chart close to the suggestion outline's amber (#d97706). */
const amberPixels = (page: Page) =>
  page.locator('canvas').first().evaluate((canvas: HTMLCanvasElement) => {
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let amber = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i]! - 217) < 12 && Math.abs(data[i + 1]! - 119) < 14 && data[i + 2]! < 40 && data[i + 3]! > 200) amber++;
    }
    return amber;
  });

describe('suggestions in the dashboard, in Chromium', () => {
  const browser = chromiumForSuite();

  it('a moderator sees the queue and the outlines on the chart, makes one a flag and dismisses another; the public sees neither', async () => {
    const server = closeAfterTest(await startTestServer({ pots: [REPLAY], moderation: { scryptCost: FAST_SCRYPT } }));
    await addUser(server, 'alice', 'moderator');
    await waitFor(() => server.states.statusInfo(REPLAY.id).status === 'paused', 'the replay to finish', 10_000);
    const context = await browser().newContext({ locale: 'en-GB', viewport: { width: 1100, height: 1400 }, timezoneId: 'Europe/Paris' });
    const errors: string[] = [];
    context.on('weberror', (error) => errors.push(error.error().message));
    const page = await context.newPage();
    await page.goto(`${server.url}/pots/${REPLAY.id}`);
    await expect.poll(() => page.getByTestId('contributors').textContent()).toMatch(/^5\d,\d{3}$/);
    expect(await page.getByRole('heading', { name: 'Suggestions' }).count()).toBe(0);
    // No outline counts only once the chart is drawn: a blank canvas has no amber either.
    await expect.poll(() => paintedPixels(page)).toBeGreaterThan(1000);
    expect(await amberPixels(page)).toBe(0);

    await signInThroughDialog(page, 'alice');
    const queue = page.getByTestId('suggestion-queue');
    await expect.poll(() => queue.locator('li').count(), { timeout: 10_000 }).toBe(3);
    const text = await queue.textContent();
    expect(text).toContain('Freeze, then catch-up (backlog)');
    expect(text).toContain('Too regular');
    expect(text).toContain('Repeated names or messages');
    expect(text).toMatch(/contributors\/h from Wed 9 Jan, 2[23]:\d\d/);
    expect(text).toContain('processing backlog being caught up');
    expect(text).toMatch(/(about|rarer than) 1 in [\d.,]+( \w+)? honest pot-days/);
    await expect.poll(() => amberPixels(page)).toBeGreaterThan(100);
    // The README's picture: the page down to the end of the queue (the contributions follow).
    const queueBottom = await queue.evaluate((element) => element.getBoundingClientRect().bottom + window.scrollY);
    await page.screenshot({ path: screenshotPath('suggestions.png'), fullPage: true, clip: { x: 0, y: 0, width: 1100, height: Math.ceil(queueBottom) + 24 } });

    // The same evidence in French, switched without reloading.
    await page.getByRole('button', { name: 'Afficher en français' }).click();
    await expect.poll(() => queue.textContent()).toMatch(/contributeurs\/h, mer\. 9 janv\., 2[23]:\d\d à jeu\. 10 janv\./);
    const french = await queue.textContent();
    expect(french).toContain("arriéré de traitement qu'on rattrape");
    expect(french).toMatch(/1 journée de cagnotte honnête sur [\d\s,]+/);
    expect(french).not.toContain('honest pot-days');
    await page.getByRole('button', { name: 'Show in English' }).click();
    await expect.poll(() => queue.textContent()).toContain('processing backlog being caught up');

    const night = queue.locator('li', { hasText: 'Too regular' });
    await night.getByRole('button', { name: 'Make it a flag' }).click();
    await expect.poll(() => queue.locator('li').count()).toBe(2);
    const flags = page.getByTestId('moderator-flags');
    await expect.poll(() => flags.textContent()).toContain('Too regular');
    expect(await flags.textContent()).toContain('draft');
    expect(await flags.textContent()).toContain('contributors/h');

    await queue.locator('li', { hasText: 'Freeze, then catch-up' }).getByRole('button', { name: 'Dismiss' }).click();
    await expect.poll(() => queue.locator('li').count()).toBe(1);
    await page.reload();
    await expect.poll(() => page.getByTestId('suggestion-queue').locator('li').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByTestId('suggestion-queue').textContent()).toContain('Repeated names or messages');

    const anonymous = await (await browser().newContext({ locale: 'en-GB' })).newPage();
    await anonymous.goto(`${server.url}/pots/${REPLAY.id}`);
    await expect.poll(() => anonymous.getByTestId('contributors').textContent()).toMatch(/^5\d,\d{3}$/);
    expect(await anonymous.getByTestId('suggestion-queue').count()).toBe(0);
    await expect.poll(() => paintedPixels(anonymous)).toBeGreaterThan(1000);
    expect(await amberPixels(anonymous)).toBe(0);
    expect(errors).toEqual([]);
  });
});
