import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startAlertReceiver } from '../helpers/alert-receiver.js';
import { chromiumForSuite } from '../helpers/chromium-for-suite.js';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { addUser, FAST_SCRYPT, signedIn, signInThroughDialog } from '../helpers/moderation.js';
import { screenshotPath } from '../helpers/screenshots.js';
import { startTestServer, webhookPot } from '../helpers/server.js';
import { waitFor } from '../helpers/wait-for.js';

async function signIn(page: Page, name: string): Promise<void> {
  await signInThroughDialog(page, name);
  await expect.poll(() => page.getByText(`Signed in as ${name}`).count()).toBe(1);
}

describe('alerts in the admin area, in Chromium', () => {
  const browser = chromiumForSuite();

  it('an admin adds a French newsroom’s chat webhook, sends a test that arrives signed, and the chat then hears of a published flag in French', async () => {
    const chat = closeAfterTest(await startAlertReceiver());
    const server = closeAfterTest(
      await startTestServer({ pots: [webhookPot('alpha', { title: 'Alpha pot' })], moderation: { scryptCost: FAST_SCRYPT }, sourcesAllowHosts: ['127.0.0.1'] }),
    );
    await addUser(server, 'ada', 'admin');
    await addUser(server, 'mo', 'moderator');
    const errors: string[] = [];
    const context = await browser().newContext({ locale: 'en-GB', viewport: { width: 1100, height: 900 }, timezoneId: 'Europe/Paris' });
    context.on('weberror', (error) => errors.push(error.error().message));
    const page = await context.newPage();
    await page.goto(server.url);
    await signIn(page, 'ada');
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('link', { name: 'Alerts' }).click();
    await expect.poll(() => page.getByText('No alert yet.').count()).toBe(1);
    await page.getByRole('link', { name: 'Add an alert' }).click();

    await page.getByLabel('Webhook address').fill(`${chat.url}/hooks/moderators`);
    await page.getByLabel('Flags published').check();
    await page.getByLabel('Milestones (every step, and the goal)').check();
    await page.getByLabel('Milestone every (in each pot’s currency)').fill('1000');
    await page.getByLabel('Pots (ids, comma-separated; empty for all pots)').fill('alpha');
    expect(await page.getByLabel('Language of the alerts').inputValue()).toBe('en');
    await page.getByLabel('Language of the alerts').selectOption({ label: 'Français' });
    await page.getByRole('button', { name: 'Save the alert' }).click();
    const secret = (await page.getByTestId('alert-secret').locator('code').textContent())!;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    chat.expectSecret(secret);
    await page.getByTestId('alert-secret').getByRole('link', { name: 'Alerts' }).click();

    const row = page.getByTestId('alerts').locator('tbody tr');
    await expect.poll(() => row.count()).toBe(1);
    // Suggestions are ticked to begin with: the moderators' most awaited event.
    expect(await row.textContent()).toContain('milestone, suggestion, flag every 1000');
    expect(await row.textContent()).toContain('webhook · Français · alpha');
    await row.getByRole('button', { name: 'Send a test' }).click();
    await waitFor(() => chat.tries.length === 1, 'the test at the chat');
    expect(chat.tries[0]).toMatchObject({ event: 'test', signed: true, notice: { event: 'test' } });
    expect(chat.tries[0]!.notice.text).toMatch(/^Alerte de test de Potwatch /);
    await expect.poll(() => row.getByTestId('alert-deliveries').textContent(), { timeout: 10_000 }).toContain('1 delivered, 0 waiting, 0 failed');
    await page.screenshot({ path: screenshotPath('alerts-admin.png'), fullPage: true });

    const moderator = await signedIn(server, 'mo');
    const now = Date.now();
    await moderator.request('POST', '/api/pots/alpha/flags', { from: now - 3_600_000, to: now, reason: 'night_surge', published: true });
    await waitFor(() => chat.tries.length === 2, 'the flag at the chat');
    expect(chat.tries[1]!.notice.text).toMatch(/^Signalement publié sur « Alpha pot » \(hausse nocturne, du /);
    await expect.poll(() => row.getByTestId('alert-deliveries').textContent(), { timeout: 10_000 }).toContain('2 delivered');

    // The chat's link opens the pot's page on the flagged interval.
    const reader = await context.newPage();
    await reader.goto(chat.tries[1]!.notice.event === 'flag' ? chat.tries[1]!.notice.url : '');
    await expect.poll(() => reader.getByTestId('linked-interval').count()).toBe(1);
    expect(await reader.getByTestId('linked-interval').textContent()).toMatch(/^The interval you followed a link to is outlined on the chart: /);
    expect(errors).toEqual([]);
  });
});
