import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumForSuite } from '../helpers/chromium-for-suite.js';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { addUser, FAST_SCRYPT, PASSWORD, signedIn, testClock, signInThroughDialog } from '../helpers/moderation.js';
import { postReadings, startTestServer, webhookPot } from '../helpers/server.js';
import { screenshotPath } from '../helpers/screenshots.js';

const T0 = Date.UTC(2019, 0, 9, 20, 0);
const MINUTE = 60_000;
const NOTE = 'Same message "Courage" x40 <img src=x onerror=alert(1)>';

/** The RGBA values of one pixel column of the chart canvas, at a fraction of its width. */
const canvasColumn = (page: Page, fraction: number) =>
  page.locator('canvas').first().evaluate((canvas: HTMLCanvasElement, at: number) => {
    const context = canvas.getContext('2d')!;
    const x = Math.round(canvas.width * at);
    return Array.from(context.getImageData(x, 0, 1, canvas.height).data);
  }, fraction);

/** The RGBA values of a rectangle of the chart canvas, in fractions of its size. */
const canvasRegion = (page: Page, region: { x0: number; x1: number; y0: number; y1: number }) =>
  page.locator('canvas').first().evaluate((canvas: HTMLCanvasElement, r: typeof region) => {
    const x = Math.round(canvas.width * r.x0);
    const y = Math.round(canvas.height * r.y0);
    const { data } = canvas.getContext('2d')!.getImageData(x, y, Math.round(canvas.width * (r.x1 - r.x0)), Math.round(canvas.height * (r.y1 - r.y0)));
    return Array.from(data);
  }, region);

const changedPixels = (a: number[], b: number[]) => {
  let changed = 0;
  for (let i = 0; i < a.length; i += 4) if (a.slice(i, i + 4).some((value, k) => value !== b[i + k])) changed++;
  return changed;
};

describe('moderation in Chromium', () => {
  const browser = chromiumForSuite();

  it('a moderator drag-selects an interval and publishes it; an anonymous viewer sees it shaded without reload', async () => {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha', { title: 'Alpha pot' })], moderation: { scryptCost: FAST_SCRYPT } }));
    await addUser(server, 'alice', 'moderator');
    await postReadings(
      server.url,
      'alpha',
      Array.from({ length: 240 }, (_, i) => ({ at: T0 + i * MINUTE, amount: 100 + i * 40, contributors: 3 + i })),
    );
    const viewport = { width: 1000, height: 900 };
    const moderatorContext = await browser().newContext({ locale: 'en-GB', viewport, timezoneId: 'UTC' });
    const publicContext = await browser().newContext({ locale: 'en-GB', viewport, timezoneId: 'UTC' });
    const errors: string[] = [];
    const dialogs: string[] = [];
    for (const context of [moderatorContext, publicContext]) {
      context.on('weberror', (error) => errors.push(error.error().message));
      context.on('dialog', (dialog) => dialogs.push(dialog.message()));
    }

    const viewer = await publicContext.newPage();
    await viewer.goto(`${server.url}/pots/alpha`);
    await expect.poll(() => viewer.getByTestId('contributors').textContent()).toBe('242');

    const moderator = await moderatorContext.newPage();
    await moderator.goto(`${server.url}/pots/alpha`);
    await moderator.getByRole('button', { name: 'Sign in' }).click();
    await moderator.getByLabel('Name').fill('alice');
    await moderator.getByLabel('Password').fill('not the password');
    await moderator.getByRole('dialog').getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => moderator.getByRole('alert').textContent()).toBe('Wrong name or password.');
    await moderator.getByLabel('Password').fill(PASSWORD);
    await moderator.getByRole('dialog').getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => moderator.getByText('Signed in as alice (moderator)').count()).toBe(1);
    await expect.poll(() => moderator.getByRole('heading', { name: 'Moderation' }).count()).toBe(1);
    expect(await moderator.evaluate(() => document.cookie)).toBe('');

    // Drag across the middle of the chart.
    const box = (await moderator.locator('canvas').first().boundingBox())!;
    const y = box.y + box.height * 0.45;
    await moderator.mouse.move(box.x + box.width * 0.45, y);
    await moderator.mouse.down();
    await moderator.mouse.move(box.x + box.width * 0.55, y, { steps: 8 });
    await moderator.mouse.move(box.x + box.width * 0.65, y, { steps: 8 });
    await moderator.mouse.up();
    const form = moderator.getByRole('form', { name: 'New flag' });
    await expect.poll(() => form.getByLabel('From', { exact: true }).inputValue()).toMatch(/^2019-01-09T2\d:\d\d:\d\d$/);
    const from = Date.parse(`${await form.getByLabel('From', { exact: true }).inputValue()}Z`);
    const to = Date.parse(`${await form.getByLabel('To', { exact: true }).inputValue()}Z`);
    expect(to - from).toBeGreaterThan(30 * MINUTE);
    expect(from).toBeGreaterThan(T0 + 60 * MINUTE);
    expect(to).toBeLessThan(T0 + 200 * MINUTE);

    await form.getByLabel('Reason').selectOption({ label: 'Night surge' });
    await form.getByLabel('Note (moderators only)').fill(NOTE);
    await form.getByRole('button', { name: 'Save' }).click();
    const moderatorList = moderator.getByTestId('moderator-flags');
    await expect.poll(() => moderatorList.textContent()).toContain('Night surge');
    await expect.poll(() => moderatorList.textContent()).toContain('draft');
    await expect.poll(() => moderatorList.getByText(NOTE).count()).toBe(1);

    // A draft reaches nobody else.
    const before = await canvasColumn(viewer, 0.55);
    const outsideBefore = await canvasColumn(viewer, 0.2);
    await viewer.waitForTimeout(300);
    expect(await viewer.getByTestId('flag-list').count()).toBe(0);
    expect(changedPixels(before, await canvasColumn(viewer, 0.55))).toBe(0);

    await moderatorList.getByRole('button', { name: 'Publish' }).click();
    await expect.poll(() => moderatorList.textContent()).toContain('published');

    const publicList = viewer.getByTestId('flag-list');
    await expect.poll(() => publicList.textContent()).toContain('Night surge');
    expect(await viewer.getByRole('list', { name: 'Flagged intervals' }).getByRole('listitem').count()).toBe(1);
    await expect.poll(async () => changedPixels(before, await canvasColumn(viewer, 0.55))).toBeGreaterThan(100);
    expect(changedPixels(outsideBefore, await canvasColumn(viewer, 0.2))).toBe(0);
    const page = await viewer.content();
    expect(page).not.toContain('Courage');
    expect(page).not.toContain('alice');

    await moderator.screenshot({ path: screenshotPath('moderation.png'), fullPage: true });

    // Pointing at the shaded interval shows its reason at the top of the box.
    const labelArea = { x0: 0.5, x1: 0.6, y0: 0, y1: 0.2 };
    const unlabelled = await canvasRegion(viewer, labelArea);
    const viewerBox = (await viewer.locator('canvas').first().boundingBox())!;
    await viewer.mouse.move(viewerBox.x + viewerBox.width * 0.55, viewerBox.y + viewerBox.height * 0.3);
    await expect.poll(async () => changedPixels(unlabelled, await canvasRegion(viewer, labelArea))).toBeGreaterThan(20);
    await viewer.mouse.move(0, 0);
    await expect.poll(async () => changedPixels(unlabelled, await canvasRegion(viewer, labelArea))).toBe(0);

    // Making it a draft again removes it from the public chart, still without reload.
    await moderatorList.getByRole('button', { name: 'Make draft' }).click();
    await expect.poll(() => viewer.getByTestId('flag-list').count()).toBe(0);
    await expect.poll(async () => changedPixels(before, await canvasColumn(viewer, 0.55))).toBe(0);

    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await moderatorContext.close();
    await publicContext.close();
  }, 90_000);

  it('types the interval instead of dragging, resolves and deletes the flag, and signs out', async () => {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')], moderation: { scryptCost: FAST_SCRYPT } }));
    await addUser(server, 'root', 'admin');
    await postReadings(server.url, 'alpha', Array.from({ length: 60 }, (_, i) => ({ at: T0 + i * MINUTE, amount: 10 + i, contributors: 1 + i })));
    const context = await browser().newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    const page = await context.newPage();
    await page.goto(`${server.url}/pots/alpha`);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByLabel('Nom').fill('root');
    await page.getByLabel('Mot de passe').fill(PASSWORD);
    await page.getByRole('dialog').getByRole('button', { name: 'Se connecter' }).click();
    await expect.poll(() => page.getByText('Connecté : root (administration)').count()).toBe(1);

    await page.getByRole('button', { name: 'Nouveau signalement' }).click();
    const form = page.getByRole('form', { name: 'Nouveau signalement' });
    // 21:10 to 21:40 in Paris is 20:10 to 20:40 UTC.
    await form.getByLabel('Début').fill('2019-01-09T21:10:00');
    await form.getByLabel('Fin').fill('2019-01-09T21:40:00');
    await form.getByLabel('Motif').selectOption('identical_gifts');
    await form.getByLabel('Public : l’afficher sur tous les graphiques').check();
    await form.getByRole('button', { name: 'Enregistrer' }).click();
    const list = page.getByTestId('moderator-flags');
    await expect.poll(() => list.textContent()).toContain('Dons identiques');
    const flags = (await (await fetch(`${server.url}/api/pots/alpha/flags`)).json()).flags;
    expect(flags).toEqual([
      { id: expect.any(Number), potId: 'alpha', from: T0 + 10 * MINUTE, to: T0 + 40 * MINUTE, reason: 'identical_gifts', resolved: false },
    ]);

    await list.getByRole('button', { name: 'Marquer résolu' }).click();
    await expect.poll(() => page.getByTestId('flag-list').textContent()).toContain('résolu');
    await list.getByRole('button', { name: 'Supprimer' }).click();
    await list.getByRole('button', { name: 'Supprimer' }).click();
    await expect.poll(() => page.getByText('Aucun signalement sur cette cagnotte.').count()).toBe(1);
    expect((await (await fetch(`${server.url}/api/pots/alpha/flags`)).json()).flags).toEqual([]);

    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Se connecter' }).count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'Modération' }).count()).toBe(0);
    expect(await page.getByText('Votre session a pris fin. Reconnectez-vous.').count()).toBe(0);
    await context.close();
  });

  it('shades published flags on the embed too, live', async () => {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')], moderation: { scryptCost: FAST_SCRYPT } }));
    await addUser(server, 'alice', 'moderator');
    await postReadings(server.url, 'alpha', Array.from({ length: 60 }, (_, i) => ({ at: T0 + i * MINUTE, amount: 10 + i, contributors: 1 + i })));
    const page = await browser().newPage({ locale: 'en-GB', timezoneId: 'UTC' });
    await page.goto(`${server.url}/embed/alpha?lang=en`);
    await expect.poll(() => page.locator('canvas').count()).toBe(1);
    const alice = await signedIn(server, 'alice');
    const flag = { from: T0 + 10 * MINUTE, to: T0 + 20 * MINUTE, reason: 'catch_up_jump', note: 'private note' };
    await alice.request('POST', '/api/pots/alpha/flags', { ...flag, published: false });
    await alice.request('POST', '/api/pots/alpha/flags', { ...flag, published: true });
    await expect.poll(() => page.getByTestId('flag-list').textContent()).toBe('9 Jan 2019, 20:10–20:20 UTC: Catch-up jump');
    expect(await page.getByTestId('flag-list').getByRole('listitem').count()).toBe(1);
    expect(await page.content()).not.toContain('private note');
    await page.close();
  });

  it('shows a flag published while the embed was still connecting to the live feed', async () => {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')], moderation: { scryptCost: FAST_SCRYPT } }));
    await addUser(server, 'alice', 'moderator');
    await postReadings(server.url, 'alpha', Array.from({ length: 60 }, (_, i) => ({ at: T0 + i * MINUTE, amount: 10 + i, contributors: 1 + i })));
    const page = await browser().newPage({ locale: 'en-GB', timezoneId: 'UTC' });
    let letSocketThrough!: () => void;
    const socketHeld = new Promise<void>((resolve) => (letSocketThrough = resolve));
    await page.routeWebSocket(/\/socket\.io\//, async (socket) => {
      await socketHeld;
      socket.connectToServer();
    });
    const flagsFetched = page.waitForResponse((response) => response.url().includes('/api/pots/alpha/flags'));
    await page.goto(`${server.url}/embed/alpha?lang=en`);
    expect((await (await flagsFetched).json()).flags).toEqual([]);
    const alice = await signedIn(server, 'alice');
    await alice.request('POST', '/api/pots/alpha/flags', { from: T0 + 10 * MINUTE, to: T0 + 20 * MINUTE, reason: 'catch_up_jump', published: true });
    letSocketThrough();
    await expect.poll(() => page.getByTestId('flag-list').textContent()).toBe('9 Jan 2019, 20:10–20:20 UTC: Catch-up jump');
    await page.close();
  });

  it('tells a moderator whose session expired, and hides the moderation tools', async () => {
    const clock = testClock(Date.now());
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')], moderation: { scryptCost: FAST_SCRYPT, now: clock.now, socketSweepMs: 50 } }));
    await addUser(server, 'alice', 'moderator');
    const page = await browser().newPage({ locale: 'en-GB' });
    await page.goto(`${server.url}/pots/alpha`);
    await signInThroughDialog(page, 'alice');
    await expect.poll(() => page.getByRole('heading', { name: 'Moderation' }).count()).toBe(1);
    clock.advance(61 * MINUTE);
    await expect.poll(() => page.getByText('Your session has ended. Sign in again.').count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'Moderation' }).count()).toBe(0);
    await page.close();
  });
});
