import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { buildClient, clientBuildIsCurrent } from '../server/cli/build-client.js';

const CLIENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/client');

export interface AssetWeight {
  file: string;
  bytes: number;
  gzipBytes: number;
  brotliBytes: number;
  /** Loaded later by a dynamic import rather than with the page. */
  lazy: boolean;
}

export interface PageWeight {
  page: string;
  /** What the page loads at once: the HTML and every asset it references, transitively. */
  bytes: number;
  gzipBytes: number;
  brotliBytes: number;
  lazyGzipBytes: number;
  assets: AssetWeight[];
}

export interface PagesResult {
  dashboard: PageWeight;
  embed: PageWeight;
}

const HTML_REFERENCE = /<(?:script|link)\b[^>]*?\b(?:src|href)="(\/[^"]+)"/g;
const STATIC_IMPORT = /(?:\bimport|\bfrom)\s*["'](\.{1,2}\/[^"']+)["']/g;
const DYNAMIC_IMPORT = /\bimport\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g;
const CSS_URL = /url\(\s*["']?(\/[^"')]+|\.{1,2}\/[^"')]+)["']?\s*\)/g;

function weigh(file: string, lazy: boolean): AssetWeight {
  const content = readFileSync(path.join(CLIENT_DIR, file));
  return {
    file,
    bytes: content.length,
    gzipBytes: gzipSync(content, { level: 6 }).length,
    brotliBytes: brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    lazy,
  };
}

/** The HTML page and, following references in HTML, JS imports and CSS urls, every file it loads. */
function weighPage(page: string, htmlFile: string): PageWeight {
  const found = new Map<string, boolean>();
  const queue: Array<{ file: string; lazy: boolean }> = [];
  const add = (file: string, lazy: boolean) => {
    const normalised = path.posix.normalize(file).replace(/^\//, '');
    if (!existsSync(path.join(CLIENT_DIR, normalised))) return;
    const known = found.get(normalised);
    if (known === false || known === lazy) return;
    found.set(normalised, lazy);
    queue.push({ file: normalised, lazy });
  };
  add(htmlFile, false);
  while (queue.length > 0) {
    const { file, lazy } = queue.shift()!;
    const text = readFileSync(path.join(CLIENT_DIR, file), 'utf8');
    const resolve = (ref: string) => (ref.startsWith('/') ? ref : path.posix.join(path.posix.dirname(file), ref));
    if (file.endsWith('.html')) for (const [, ref] of text.matchAll(HTML_REFERENCE)) add(resolve(ref!), lazy);
    if (file.endsWith('.js')) {
      for (const [, ref] of text.matchAll(STATIC_IMPORT)) add(resolve(ref!), lazy);
      for (const [, ref] of text.matchAll(DYNAMIC_IMPORT)) add(resolve(ref!), true);
    }
    if (file.endsWith('.css')) for (const [, ref] of text.matchAll(CSS_URL)) add(resolve(ref!), lazy);
  }
  const assets = [...found].map(([file, lazy]) => weigh(file, lazy));
  const eager = assets.filter((asset) => !asset.lazy);
  const sum = (list: AssetWeight[], key: 'bytes' | 'gzipBytes' | 'brotliBytes') =>
    list.reduce((total, asset) => total + asset[key], 0);
  return {
    page,
    bytes: sum(eager, 'bytes'),
    gzipBytes: sum(eager, 'gzipBytes'),
    brotliBytes: sum(eager, 'brotliBytes'),
    lazyGzipBytes: sum(
      assets.filter((asset) => asset.lazy),
      'gzipBytes',
    ),
    assets,
  };
}

/** Transfer sizes of the production build's dashboard and embed pages. */
export async function benchPages(): Promise<PagesResult> {
  if (!clientBuildIsCurrent()) await buildClient();
  return { dashboard: weighPage('/', 'index.html'), embed: weighPage('/embed/:id', 'embed.html') };
}
