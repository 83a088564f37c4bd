import path from 'node:path';
import { fileURLToPath } from 'node:url';

const E2E = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../e2e');

/** Whether this run refreshes the README's pictures (UPDATE_SCREENSHOTS=1). */
export const refreshingReadmePictures = process.env.UPDATE_SCREENSHOTS === '1';

/**
 * Where an e2e test saves a screenshot: the README's pictures in tests/e2e/screenshots are
 * refreshed on demand (UPDATE_SCREENSHOTS=1); ordinary runs write beside them, untracked.
 */
export function screenshotPath(name: string): string {
  return path.join(E2E, refreshingReadmePictures ? 'screenshots' : 'artifacts', name);
}
