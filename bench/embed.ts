import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Browser, Request } from 'playwright-core';
import { pino } from 'pino';
import { buildClient, clientBuildIsCurrent } from '../server/cli/build-client.js';
import type { PotConfig } from '../shared/pot-config.js';
import { startPotwatch } from '../server/potwatch.js';
import { launchChromium } from '../tests/helpers/browser.js';
import { makeTempDir } from '../tests/helpers/temp-dir.js';

const CLIENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/client');
const POT_ID = 'bench-embed';
const MINUTE = 60_000;
/** A week of minute readings: the embed asks the server for 600 points of it. */
const STORED_READINGS = 7 * 24 * 60;
const FIRST_CHART_MARK = 'potwatch:first-chart';

export interface EmbedBenchOptions {
  /** Cold page loads per CPU setting (median reported). */
  runs?: number;
  /** Chromium's CPU slowdown for the "phone" figure (DevTools' mid-tier mobile preset is 4). */
  cpuSlowdown?: number;
}

export interface LoadedFile {
  /** Path on the server, e.g. /assets/embed-abc.js. */
  path: string;
  type: string;
  /** Bytes of the file itself. */
  bytes: number;
  /** Bytes received for it (the server sends build-time brotli twins to Chromium). */
  transferredBytes: number;
  gzipBytes: number;
  brotliBytes: number;
}

export interface Weight {
  bytes: number;
  transferredBytes: number;
  gzipBytes: number;
  brotliBytes: number;
}

export interface Timing {
  /** navigationStart -> first chart drawn with data, one per cold load, in ms. */
  runs: number[];
  median: number;
}

export interface EmbedBenchResult {
  /** Every file the embed page loads (HTML, scripts, style sheets), in load order. */
  files: LoadedFile[];
  /** Their sum: the embed's code weight. */
  code: Weight;
  /** The JSON data it fetches (pot and series), as received. */
  dataTransferredBytes: number;
  /** `/embed.js`, which the host page loads. */
  hostScript: Omit<Weight, 'transferredBytes'>;
  firstChart: Timing;
  firstChartSlowCpu: Timing & { cpuSlowdown: number };
  storedReadings: number;
}

function pot(): PotConfig {
  return {
    id: POT_ID,
    title: 'Bench pot',
    currency: 'EUR',
    goal: undefined,
    goalMinor: undefined,
    platform: 'Leetchi',
    source: { kind: 'webhook', secret: 'bench-secret-0123456789', staleAfterSeconds: 900 },
  };
}

function compressed(content: Buffer): { gzipBytes: number; brotliBytes: number } {
  return {
    gzipBytes: gzipSync(content, { level: 9 }).length,
    brotliBytes: brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** The built file a page URL is answered with. */
function builtFile(urlPath: string): string {
  if (urlPath.startsWith('/embed/')) return path.join(CLIENT_DIR, 'embed.html');
  return path.join(CLIENT_DIR, urlPath);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return Math.round(sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2);
};

/** One cold load (new context, empty cache): time to first chart, and what was fetched. */
async function coldLoad(browser: Browser, url: string, cpuSlowdown: number) {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 640, height: 800 } });
  try {
    const page = await context.newPage();
    if (cpuSlowdown > 1) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuSlowdown });
    }
    const finished: Request[] = [];
    const onFinished = (request: Request) => finished.push(request);
    page.on('requestfinished', onFinished);
    await page.goto(url);
    const handle = await page.waitForFunction(
      (mark) => performance.getEntriesByName(mark)[0]?.startTime,
      FIRST_CHART_MARK,
      { timeout: 30_000, polling: 20 },
    );
    const ms = (await handle.jsonValue()) as number;
    page.off('requestfinished', onFinished);
    const fetched = await Promise.all(
      finished.map(async (request) => ({
        path: new URL(request.url()).pathname,
        type: request.resourceType(),
        transferredBytes: (await request.sizes()).responseBodySize,
      })),
    );
    return { ms: Math.round(ms), fetched };
  } finally {
    await context.close();
  }
}

/**
 * What the newsroom embed costs a reader: the weight of everything its page loads (measured
 * in Chromium against the production build) and the time from navigation to the first chart
 * drawn with data, over cold loads, at full speed and with the CPU slowed like a phone.
 */
export async function benchEmbed(options: EmbedBenchOptions = {}): Promise<EmbedBenchResult> {
  const runs = options.runs ?? 7;
  const cpuSlowdown = options.cpuSlowdown ?? 4;
  if (!clientBuildIsCurrent()) await buildClient();
  const temp = makeTempDir('potwatch-bench-embed-');
  const server = await startPotwatch({
    databasePath: path.join(temp.dir, 'bench.db'),
    port: 0,
    host: '127.0.0.1',
    pots: [pot()],
    demo: false,
    logger: pino({ level: 'silent' }),
  });
  let browser: Browser | undefined;
  try {
    const start = Date.now() - STORED_READINGS * MINUTE;
    server.ingest.submit(POT_ID, {
      readings: Array.from({ length: STORED_READINGS }, (_, i) => ({
        at: start + i * MINUTE,
        amountMinor: 100 * i * i + 2500 * i,
        contributors: 3 * i,
      })),
    });
    browser = await launchChromium();
    const url = `${server.url}/embed/${POT_ID}`;
    await coldLoad(browser, url, 1);

    const fast: number[] = [];
    let fetched: Awaited<ReturnType<typeof coldLoad>>['fetched'] = [];
    for (let run = 0; run < runs; run++) {
      const load = await coldLoad(browser, url, 1);
      fast.push(load.ms);
      fetched = load.fetched;
    }
    const slow: number[] = [];
    for (let run = 0; run < runs; run++) slow.push((await coldLoad(browser, url, cpuSlowdown)).ms);

    const files: LoadedFile[] = fetched
      .filter((file) => ['document', 'script', 'stylesheet'].includes(file.type))
      .map((file) => {
        const content = readFileSync(builtFile(file.path));
        return { ...file, bytes: content.length, ...compressed(content) };
      });
    const sum = (key: keyof Weight) => files.reduce((total, file) => total + file[key], 0);
    const hostScript = readFileSync(path.join(CLIENT_DIR, 'embed.js'));
    return {
      files,
      code: { bytes: sum('bytes'), transferredBytes: sum('transferredBytes'), gzipBytes: sum('gzipBytes'), brotliBytes: sum('brotliBytes') },
      dataTransferredBytes: fetched
        .filter((file) => file.type === 'fetch' || file.type === 'xhr')
        .reduce((total, file) => total + file.transferredBytes, 0),
      hostScript: { bytes: hostScript.length, ...compressed(hostScript) },
      firstChart: { runs: fast, median: median(fast) },
      firstChartSlowCpu: { runs: slow, median: median(slow), cpuSlowdown },
      storedReadings: STORED_READINGS,
    };
  } finally {
    await browser?.close();
    await server.close();
    temp.remove();
  }
}

const ranDirectly = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (ranDirectly) {
  const result = await benchEmbed();
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
