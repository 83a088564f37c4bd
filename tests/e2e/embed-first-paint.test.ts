import { createServer, request } from 'node:http';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paintedPixels } from '../helpers/canvas.js';
import { chromiumForSuite } from '../helpers/chromium-for-suite.js';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { listenOnLoopback, type LoopbackServer } from '../helpers/loopback-server.js';
import { postReadings, startTestServer, webhookPot, type TestServer } from '../helpers/server.js';

const T0 = Date.UTC(2019, 0, 8, 9, 0);
const MINUTE = 60_000;

/** Where the embed's parts sit on the page, to the pixel. */
const layout = (page: Page) =>
  page.evaluate(() =>
    ['article', 'header', '.counters', '[role="img"]', '.credit', 'details'].map((selector) => {
      const box = document.querySelector(selector)!.getBoundingClientRect();
      return { selector, top: Math.round(box.top), height: Math.round(box.height), width: Math.round(box.width) };
    }),
  );

/**
 * A stand-in for a network or proxy that lets pages through but not Socket.IO: its WebSocket
 * upgrades and its long-polling requests are refused.
 */
async function socketBlockingProxy(target: string): Promise<LoopbackServer> {
  const proxy = createServer((req, res) => {
    if (req.url?.startsWith('/socket.io/')) {
      res.writeHead(403).end('blocked');
      return;
    }
    const forwarded = request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  proxy.on('upgrade', (_req, socket) => socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n'));
  return listenOnLoopback(proxy);
}

describe('the embed before, without and after its script', () => {
  const browser = chromiumForSuite();
  let server: TestServer;
  let contributors = 122;

  beforeAll(async () => {
    server = await startTestServer({ pots: [webhookPot('alpha', { title: 'Alpha pot', platform: 'Leetchi', goal: 10000, goalMinor: 1000000 })] });
    await postReadings(
      server.url,
      'alpha',
      Array.from({ length: 120 }, (_, i) => ({ at: T0 + i * MINUTE, amount: 100 + i * i * 2, contributors: 3 + i })),
    );
  });
  afterAll(async () => {
    await server?.dispose();
  });

  async function newReading(): Promise<void> {
    contributors += 10;
    const at = T0 + (contributors - 3) * MINUTE;
    expect((await postReadings(server.url, 'alpha', { at, amount: 30000 + contributors, contributors })).status).toBe(200);
  }

  const context = async (options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> =>
    closeAfterTest(await browser().newContext({ locale: 'en-GB', timezoneId: 'UTC', viewport: { width: 640, height: 800 }, ...options }));

  it('shows the chart, the figures and the credit to a reader without script', async () => {
    const page = await (await context({ javaScriptEnabled: false })).newPage();
    await page.goto(`${server.url}/embed/alpha`);
    const still = page.locator('[data-still-chart] svg');
    const box = (await still.boundingBox())!;
    expect(box.width).toBeGreaterThan(450);
    expect(box.height).toBeGreaterThan(150);
    expect(await page.locator('[data-still-chart]').textContent()).toContain('Amount raised');
    expect(await page.getByTestId('amount').textContent()).toBe('€28,422');
    expect(await page.getByTestId('contributors').textContent()).toBe('122');
    expect(await page.getByText('Data: Leetchi, via Potwatch').isVisible()).toBe(true);
    expect(await page.locator('canvas').count()).toBe(1);
    // The figures table opens without script too.
    await page.getByText('Figures as a table').click();
    expect(await page.locator('table tbody tr').first().isVisible()).toBe(true);
  });

  it('takes the page over without moving anything: same layout, no shift, the same elements kept', async () => {
    const still = await (await context({ javaScriptEnabled: false })).newPage();
    await still.goto(`${server.url}/embed/alpha`);
    const drawnByServer = await layout(still);

    const page = await (await context()).newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.addInitScript(() => {
      const seen = window as unknown as { shifts: number[]; replaced: number };
      seen.shifts = [];
      seen.replaced = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) seen.shifts.push((entry as unknown as { value: number }).value);
      }).observe({ type: 'layout-shift', buffered: true });
      new MutationObserver((records) => {
        for (const record of records) for (const node of record.removedNodes) if (node.nodeName === 'ARTICLE') seen.replaced++;
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(`${server.url}/embed/alpha`);
    // The canvas has the curves and the still drawing is gone.
    await expect.poll(() => page.locator('[data-still-chart]').count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => paintedPixels(page), { timeout: 10_000 }).toBeGreaterThan(1000);
    await page.waitForFunction(() => performance.getEntriesByName('potwatch:first-chart').length > 0);

    expect(await layout(page)).toEqual(drawnByServer);
    const seen = await page.evaluate(() => {
      const { shifts, replaced } = window as unknown as { shifts: number[]; replaced: number };
      return { shifts, replaced };
    });
    expect(seen.shifts.reduce((sum, value) => sum + value, 0)).toBe(0);
    expect(seen.replaced).toBe(0);
    expect(errors).toEqual([]);

    // And it is live.
    await newReading();
    await expect.poll(() => page.getByTestId('contributors').textContent(), { timeout: 10_000 }).toBe(String(contributors));
  });

  it('polls the live snapshot when asked to, without a socket', async () => {
    const page = await (await context()).newPage();
    const sockets: string[] = [];
    const polls: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));
    page.on('request', (request) => {
      if (request.url().endsWith('/api/pots/alpha/live')) polls.push(request.url());
    });
    await page.goto(`${server.url}/embed/alpha?live=poll`);
    await expect.poll(() => polls.length, { timeout: 10_000 }).toBeGreaterThan(0);
    await newReading();
    await expect.poll(() => page.getByTestId('contributors').textContent(), { timeout: 10_000 }).toBe(String(contributors));
    expect(await page.locator('.badge strong').textContent()).toBe('Live');
    expect(sockets).toEqual([]);
  });

  it('falls back to polling when the socket cannot connect, and stays live', async () => {
    const proxy = closeAfterTest(await socketBlockingProxy(server.url));
    const page = await (await context()).newPage();
    const polls: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/api/pots/alpha/live')) polls.push(request.url());
    });
    await page.goto(`${proxy.url}/embed/alpha`);
    await expect.poll(() => polls.length, { timeout: 10_000 }).toBeGreaterThan(0);
    await newReading();
    await expect.poll(() => page.getByTestId('contributors').textContent(), { timeout: 10_000 }).toBe(String(contributors));
    expect(await page.locator('.badge strong').textContent()).toBe('Live');
  });

  it('stays as it was served with live=off, while a polling neighbour moves on', async () => {
    const pages = await context();
    const still = await pages.newPage();
    const traffic: string[] = [];
    still.on('websocket', (socket) => traffic.push(socket.url()));
    still.on('request', (request) => {
      if (/\/live$|socket\.io/.test(request.url())) traffic.push(request.url());
    });
    await still.goto(`${server.url}/embed/alpha?live=off`);
    await expect.poll(() => paintedPixels(still), { timeout: 10_000 }).toBeGreaterThan(1000);
    const shown = await still.getByTestId('contributors').textContent();

    const neighbour = await pages.newPage();
    await neighbour.goto(`${server.url}/embed/alpha?live=poll`);
    await newReading();
    await expect.poll(() => neighbour.getByTestId('contributors').textContent(), { timeout: 10_000 }).toBe(String(contributors));
    expect(await still.getByTestId('contributors').textContent()).toBe(shown);
    expect(traffic).toEqual([]);
  });
});
