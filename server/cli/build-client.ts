import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const OUT_DIR = path.join(ROOT, 'dist/client');
/** Written once both builds (browser and server-side drawing) are done. */
const STAMP = path.join(OUT_DIR, '.build-stamp');
const INPUTS = ['client', 'shared', 'vite.config.ts', 'package-lock.json'];

/** Newest modification time among the files the client build reads. */
function newestInput(entry: string): number {
  const stats = statSync(entry);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const child of readdirSync(entry)) newest = Math.max(newest, newestInput(path.join(entry, child)));
  return newest;
}

export function clientBuildIsCurrent(): boolean {
  if (!existsSync(STAMP)) return false;
  const built = statSync(STAMP).mtimeMs;
  return INPUTS.every((input) => !existsSync(path.join(ROOT, input)) || newestInput(path.join(ROOT, input)) <= built);
}

/**
 * Always the production build, which `npm start` serves, even when called from a process
 * with another NODE_ENV (vitest sets "test", which would ship Svelte's development runtime):
 * the browser's client, then the components the server draws pages with.
 */
export async function buildClient(): Promise<void> {
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  const common = { root: path.join(ROOT, 'client'), configFile: path.join(ROOT, 'vite.config.ts'), logLevel: 'warn' as const };
  try {
    await build(common);
    await build({ ...common, build: { ssr: true } });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  writeFileSync(STAMP, new Date().toISOString());
}

const ranDirectly = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (ranDirectly) {
  const ifNeeded = process.argv.includes('--if-needed');
  if (ifNeeded && clientBuildIsCurrent()) {
    process.exit(0);
  }
  process.stdout.write('Building the web client…\n');
  await buildClient();
}
