import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './browser.js';

/**
 * One Chromium for the tests of the describe block that calls this: launched before the
 * first of them, closed after the last. The returned function hands it to a test.
 */
export function chromiumForSuite(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('Chromium is not running: chromiumForSuite() belongs in a describe block');
    return browser;
  };
}
