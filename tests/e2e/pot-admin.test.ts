import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumForSuite } from '../helpers/chromium-for-suite.js';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { addUser, FAST_SCRYPT, signInThroughDialog } from '../helpers/moderation.js';
import { startPotPlatform } from '../helpers/pot-platform.js';
import { screenshotPath } from '../helpers/screenshots.js';
import { startTestServer } from '../helpers/server.js';

async function signIn(page: Page, name: string): Promise<void> {
  await signInThroughDialog(page, name);
  await expect.poll(() => page.getByText(`Signed in as ${name}`).count()).toBe(1);
}

describe('tracking a real pot from its address, in Chromium', () => {
  const browser = chromiumForSuite();

  it('an admin adds a script-drawn pot page from its URL, checks the preview, saves; the public sees it live; a moderator reads its contributions', async () => {
    const platform = closeAfterTest(await startPotPlatform({ widgetDelayMs: 300 }));
    for (const [name, euros, message] of [
      ['Marie', 50, 'Courage à vous'],
      ['Anonyme', 10, undefined],
      ['Paul', 20, 'Merci pour tout'],
      ['Anonyme', 10, undefined],
      ['Léa', 35, 'Tenez bon'],
    ] as const) {
      platform.give(name, euros, message);
    }
    const server = closeAfterTest(
      await startTestServer({ pots: [], moderation: { scryptCost: FAST_SCRYPT }, sourcesAllowHosts: ['127.0.0.1'] }),
    );
    await addUser(server, 'ada', 'admin');
    await addUser(server, 'mo', 'moderator');
    const errors: string[] = [];
    const contextFor = async () => {
      const context = await browser().newContext({ locale: 'en-GB', viewport: { width: 1100, height: 1000 }, timezoneId: 'Europe/Paris' });
      context.on('weberror', (error) => errors.push(error.error().message));
      return context;
    };

    const admin = await (await contextFor()).newPage();
    await admin.goto(server.url);
    await signIn(admin, 'ada');
    await admin.getByRole('link', { name: 'Admin' }).click();
    await admin.getByRole('link', { name: 'Add a pot' }).click();
    await admin.getByLabel('Address of the pot page').fill(platform.scriptedPage);
    await admin.getByRole('button', { name: 'Read the page' }).click();

    const preview = admin.getByTestId('source-preview');
    await expect.poll(() => admin.getByTestId('preview-amount').textContent(), { timeout: 20_000 }).toBe('€125.00');
    expect(await admin.getByTestId('preview-contributors').textContent()).toBe('5');
    expect(await preview.textContent()).toContain('span.somme');
    expect(await preview.textContent()).toContain('Read from the page as a browser shows it');
    expect(await admin.getByTestId('preview-contributions').locator('tr').count()).toBe(5);
    expect(await admin.getByTestId('preview-contributions').locator('tr').first().textContent()).toContain('Tenez bon');
    // Suggested from the page: its address gives the id, its title the title.
    expect(await admin.getByLabel('Id (in the address)').inputValue()).toBe('soutien');
    expect(await admin.getByLabel('Title', { exact: true }).inputValue()).toBe('Cagnotte de soutien');

    // Click-to-pick: the contributors' element, clicked on the page snapshot, fills its selector.
    await admin.getByRole('button', { name: 'Pick on the page' }).nth(1).click();
    await admin.frameLocator('iframe[title="What Potwatch read"]').locator('b.nb').click();
    expect(await admin.getByLabel('Contributors', { exact: true }).inputValue()).toBe('b.nb');
    await admin.screenshot({ path: screenshotPath('add-pot-preview.png'), fullPage: true });

    // The selector changed the source: it is read again before saving.
    expect(await admin.getByRole('button', { name: 'Save and start tracking' }).isDisabled()).toBe(true);
    await admin.getByLabel('Read every (seconds)').fill('1');
    await admin.getByRole('button', { name: 'Read the page' }).click();
    await expect.poll(() => admin.getByRole('button', { name: 'Save and start tracking' }).isEnabled(), { timeout: 20_000 }).toBe(true);
    await admin.getByRole('button', { name: 'Save and start tracking' }).click();
    await expect.poll(() => admin.getByTestId('managed-pots').locator('tr[data-pot="soutien"]').count()).toBe(1);

    const reader = await (await contextFor()).newPage();
    await reader.goto(`${server.url}/pots/soutien`);
    await expect.poll(() => reader.getByTestId('contributors').textContent(), { timeout: 20_000 }).toBe('5');
    platform.give('Nadia', 15, 'Bon courage');
    await expect.poll(() => reader.getByTestId('contributors').textContent(), { timeout: 20_000 }).toBe('6');

    const moderator = await (await contextFor()).newPage();
    await moderator.goto(`${server.url}/pots/soutien`);
    await signIn(moderator, 'mo');
    const rows = moderator.getByTestId('contributions').locator('tr');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(6);
    expect(await rows.first().textContent()).toContain('Nadia');
    expect(await rows.first().textContent()).toContain('Bon courage');
    expect(await moderator.getByRole('link', { name: 'Admin' }).count()).toBe(0);
    expect(errors).toEqual([]);
  }, 120_000);
});
