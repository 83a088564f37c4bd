import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { totpCode } from '../../server/moderation/totp.js';
import { chromiumForSuite } from '../helpers/chromium-for-suite.js';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { addUser, FAST_SCRYPT, PASSWORD, signInThroughDialog } from '../helpers/moderation.js';
import { screenshotPath } from '../helpers/screenshots.js';
import { postReadings, startTestServer, webhookPot } from '../helpers/server.js';

const T0 = Date.UTC(2019, 0, 10, 6, 0);
const at = (minute: number) => new Date(T0 + minute * 60_000).toISOString();


const signedInAs = (page: Page, name: string) => expect.poll(() => page.getByText(`Signed in as ${name}`).count()).toBe(1);

/** Anything the Content Security Policy blocked (an inline script or style, an outside source) counts as an error. */
function refusedByPolicy(page: Page, errors: string[]): void {
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) errors.push(message.text());
  });
}

/** Chromium's virtual authenticator (CDP WebAuthn domain): a platform passkey that checks its user. */
async function virtualAuthenticator(context: BrowserContext, page: Page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials };
}

describe('account security in Chromium', () => {
  const browser = chromiumForSuite();

  it('an admin without a second factor is led to add a passkey, then signs in with the passkey alone', async () => {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')], moderation: { scryptCost: FAST_SCRYPT } }));
    await addUser(server, 'chief', 'admin', PASSWORD, { secondFactorExempt: false });
    // WebAuthn needs a domain name: localhost reaches the same loopback server.
    const site = server.url.replace('127.0.0.1', 'localhost');
    const errors: string[] = [];
    const context = await browser().newContext({ locale: 'en-GB', viewport: { width: 1100, height: 900 } });
    context.on('weberror', (error) => errors.push(error.error().message));
    const page = await context.newPage();
    refusedByPolicy(page, errors);
    const authenticator = await virtualAuthenticator(context, page);
    await page.goto(site);

    await signInThroughDialog(page, 'chief');
    await signedInAs(page, 'chief');
    expect(await page.getByRole('link', { name: 'Admin' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Set up a second factor to continue' }).click();
    await expect.poll(() => page.getByText('Your account must have a second factor').count()).toBe(1);
    // Only their own account and sessions are offered until then.
    expect(await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link').allTextContents()).toEqual(['My account', 'My sessions']);

    await page.getByLabel('Name of this passkey').fill('Newsroom laptop');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await expect.poll(() => page.getByTestId('passkeys').textContent()).toContain('Newsroom laptop');
    expect(await authenticator.credentials()).toHaveLength(1);
    await expect.poll(() => page.getByRole('link', { name: 'Admin' }).count()).toBe(1);
    expect(await page.getByText('Your account must have a second factor').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('account-passkey.png'), fullPage: true });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await signedInAs(page, 'chief');
    await page.getByRole('link', { name: 'Admin' }).click();
    await expect.poll(() => page.getByTestId('managed-pots').or(page.getByText('No pot yet')).count()).toBeGreaterThan(0);

    await page.getByRole('link', { name: 'My sessions' }).click();
    await expect.poll(() => page.getByTestId('sessions').textContent()).toContain('(passkey)');
    const logins = server.db.prepare(`SELECT after FROM audit WHERE action = 'session.login' ORDER BY id`).all() as { after: string }[];
    expect(logins.map((row) => JSON.parse(row.after).secondFactor)).toEqual(['password', 'passkey']);
    expect(errors).toEqual([]);
  });

  it('a moderator sets up an authenticator app, signs in with a recovery code; an admin runs the console pages', async () => {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')], moderation: { scryptCost: FAST_SCRYPT } }));
    await addUser(server, 'mo', 'moderator');
    await addUser(server, 'ada', 'admin');
    const errors: string[] = [];
    const contextFor = async () => {
      const context = await browser().newContext({ locale: 'en-GB', viewport: { width: 1100, height: 900 } });
      context.on('weberror', (error) => errors.push(error.error().message));
      return context;
    };

    const mo = await (await contextFor()).newPage();
    refusedByPolicy(mo, errors);
    await mo.goto(server.url);
    await signInThroughDialog(mo, 'mo');
    await signedInAs(mo, 'mo');
    await mo.getByRole('link', { name: 'My account' }).click();
    await mo.getByRole('button', { name: 'Set up an authenticator app' }).click();
    await expect.poll(() => mo.getByRole('img', { name: 'QR code to scan with an authenticator app' }).count()).toBe(1);
    const secret = (await mo.getByTestId('totp-secret').textContent())!;
    await mo.getByLabel('Code shown by the app').fill(totpCode(secret, Date.now()));
    await mo.getByRole('button', { name: 'Confirm' }).click();
    const codes = (await mo.getByTestId('recovery-codes').locator('li').allTextContents()).map((code) => code.trim());
    expect(codes).toHaveLength(10);

    await mo.getByRole('button', { name: 'Sign out' }).click();
    await signInThroughDialog(mo, 'mo');
    await mo.getByLabel('Code', { exact: true }).fill(codes[0]!);
    await mo.getByRole('button', { name: 'Confirm' }).click();
    await signedInAs(mo, 'mo');

    // The admin: users, held readings, webhook secrets, audit trail.
    const ada = await (await contextFor()).newPage();
    refusedByPolicy(ada, errors);
    await ada.goto(server.url);
    await signInThroughDialog(ada, 'ada');
    await signedInAs(ada, 'ada');
    await ada.getByRole('link', { name: 'Admin' }).click();
    await ada.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Users' }).click();
    const users = ada.getByTestId('users');
    await expect.poll(() => users.locator('tr[data-user="mo"]').textContent()).toContain('app ✓');
    await ada.getByRole('textbox', { name: 'Name' }).fill('nina');
    await ada.getByLabel('First password').fill('nina first password');
    await ada.getByRole('button', { name: 'Add the account' }).click();
    await expect.poll(() => users.locator('tr[data-user="nina"]').count()).toBe(1);
    await users.locator('tr[data-user="mo"]').getByLabel('Disabled').check();
    expect((await mo.evaluate(() => fetch('/api/session').then((answer) => answer.json()))).user).toBeNull();

    const rising = Array.from({ length: 10 }, (_, minute) => ({ at: at(minute), amount: 1_000_000 + minute * 100, contributors: 50_000 + minute }));
    await postReadings(server.url, 'alpha', rising);
    await postReadings(server.url, 'alpha', { at: at(10), amount: '14000.50', contributors: 50_010 });
    await ada.getByRole('link', { name: 'Held readings' }).click();
    const held = ada.getByTestId('held-readings');
    await expect.poll(() => held.textContent()).toContain('amount went down');
    await held.getByLabel('Reason (kept in the audit trail)').fill('a decimal separator lost on the page');
    await held.getByRole('button', { name: 'Discard' }).click();
    await expect.poll(() => ada.getByText('Nothing is held for this pot.').count()).toBe(1);

    await ada.getByRole('link', { name: 'Webhook secrets' }).click();
    await expect.poll(() => ada.getByTestId('secrets').textContent()).toContain('In the pots file: change it there');

    await ada.getByRole('link', { name: 'Audit trail' }).click();
    await ada.getByLabel('Action').fill('reading');
    await ada.getByRole('button', { name: 'Filter', exact: true }).click();
    await expect.poll(() => ada.getByTestId('audit').textContent()).toContain('a decimal separator lost on the page');
    expect(await ada.getByTestId('audit').locator('tbody tr').count()).toBe(1);
    expect(await ada.getByRole('link', { name: 'Export as CSV' }).getAttribute('href')).toBe('/api/audit.csv?action=reading');
    await ada.screenshot({ path: screenshotPath('admin-audit.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
