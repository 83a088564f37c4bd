import { describe, expect, it } from 'vitest';
import type { PotConfig } from '../../shared/pot-config.js';
import { paintedPixels } from '../helpers/canvas.js';
import { chromiumForSuite } from '../helpers/chromium-for-suite.js';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { addUser, FAST_SCRYPT, signInThroughDialog } from '../helpers/moderation.js';
import { screenshotPath } from '../helpers/screenshots.js';
import { postReadings, startTestServer, webhookPot } from '../helpers/server.js';
import { waitFor } from '../helpers/wait-for.js';

const T0 = Date.UTC(2019, 0, 9, 20, 0);
const MINUTE = 60_000;

describe('the rate view and the review of contributions, in Chromium', () => {
  const browser = chromiumForSuite();

  it('switches to bars per bucket whose sum is the curve’s rise, and back', async () => {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha', { title: 'Alpha pot' })] }));
    // A steady pot that freezes for 40 minutes, then catches up at once.
    const readings = Array.from({ length: 180 }, (_, i) => ({
      at: T0 + i * MINUTE,
      amount: 500 + (i < 100 ? i : i < 140 ? 100 : i) * 20,
      contributors: 10 + (i < 100 ? i : i < 140 ? 100 : i),
    }));
    expect((await postReadings(server.url, 'alpha', readings)).status).toBe(200);
    const page = await browser().newPage({ locale: 'en-GB', viewport: { width: 1000, height: 900 }, timezoneId: 'UTC' });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${server.url}/pots/alpha`);
    await expect.poll(() => page.getByTestId('contributors').textContent()).toBe('189');
    await expect.poll(() => paintedPixels(page)).toBeGreaterThan(1000);

    await page.getByRole('radio', { name: 'Per 15 min' }).click();
    const rows = page.getByTestId('rate-table').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(12);
    const figures = await rows.evaluateAll((elements) => elements.map((row) => [Number(row.getAttribute('data-amount-minor')), Number(row.getAttribute('data-joined'))]));
    const rise = (readings.at(-1)!.amount - readings[0]!.amount) * 100;
    expect(figures.reduce((sum, [amount]) => sum + amount!, 0)).toBe(rise);
    expect(figures.reduce((sum, [, joined]) => sum + joined!, 0)).toBe(readings.at(-1)!.contributors - readings[0]!.contributors);
    // The freeze shows as empty bars, the catch-up as one tall one (newest first in the table).
    expect(figures.filter(([amount]) => amount === 0).length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...figures.map(([amount]) => amount!))).toBe(figures[2]![0]);
    await expect.poll(() => paintedPixels(page)).toBeGreaterThan(1000);

    await postReadings(server.url, 'alpha', { at: T0 + 185 * MINUTE, amount: 5000, contributors: 300 });
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(13);
    await page.getByRole('radio', { name: 'Total' }).click();
    expect(await page.getByTestId('rate-table').count()).toBe(0);
    await expect.poll(() => paintedPixels(page)).toBeGreaterThan(1000);
    expect(errors).toEqual([]);
  }, 90_000);

  it('takes a moderator from a repeated-names suggestion to the contributions behind it, grouped', async () => {
    const replay: PotConfig = {
      id: 'police-replay',
      title: 'Soutien aux forces de l’ordre (replay)',
      currency: 'EUR',
      goal: undefined,
      goalMinor: undefined,
      platform: 'Leetchi',
      source: { kind: 'replay', scenario: 'police-2019', speed: 1_000_000, loop: false },
    };
    const server = closeAfterTest(await startTestServer({ pots: [replay], moderation: { scryptCost: FAST_SCRYPT } }));
    await addUser(server, 'alice', 'moderator');
    await waitFor(() => server.states.statusInfo(replay.id).status === 'paused', 'the replay to finish', 10_000);
    const page = await browser().newPage({ locale: 'en-GB', viewport: { width: 1100, height: 1400 }, timezoneId: 'Europe/Paris' });
    await page.goto(`${server.url}/pots/${replay.id}`);
    await signInThroughDialog(page, 'alice');
    const suggestion = page.getByTestId('suggestion-queue').locator('li', { hasText: 'Repeated names or messages' });
    await expect.poll(() => suggestion.count(), { timeout: 15_000 }).toBe(1);
    // The README's picture of the rate view: the replay per hour, its suggestions outlined.
    await page.getByRole('radio', { name: 'Per hour' }).click();
    await expect.poll(() => page.getByTestId('rate-table').locator('tbody tr').count()).toBeGreaterThan(70);
    await expect.poll(() => paintedPixels(page)).toBeGreaterThan(1000);
    await page.locator('section.chart-card').screenshot({ path: screenshotPath('rate.png') });
    await suggestion.getByRole('button', { name: 'Review its contributions' }).click();

    const review = page.locator('#contributions-review');
    await expect.poll(() => review.textContent(), { timeout: 10_000 }).toContain('In the selected interval');
    const focused = page.getByTestId('contribution-groups').locator('li.focused');
    await expect.poll(() => focused.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const counts = await focused.evaluateAll((items) => items.map((item) => Number(item.getAttribute('data-count'))));
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(5);
    expect(await page.getByTestId('contributions').locator('tr').count()).toBeGreaterThan(counts[0]!);
    await page.screenshot({ path: screenshotPath('review.png'), fullPage: true });
  }, 90_000);
});
