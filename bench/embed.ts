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
  /** One figure per cold load, in ms. */
  runs: number[];
  median: number;
}

/** How one way of loading the embed went, at one CPU speed: medians over cold loads, in ms. */
export interface FirstChart {
  /** Navigation to the first paint, which holds the server-drawn chart (no script involved). */
  firstPaint: Timing;
  /** The same, counted from the moment the HTML had arrived. */
  firstPaintAfterHtml: Timing;
  /** Navigation to the live chart drawn by the script (absent without script). */
  liveChart?: Timing;
  /** The same, counted from the moment the HTML had arrived. */
  liveChartAfterHtml?: Timing;
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
  /** The embed page as served, which holds the chart: with the script, then with script off. */
  withScript: FirstChart;
  withoutScript: FirstChart;
  /** The baseline: an empty page whose script fetches the data and draws the chart (the 0.1 embed). */
  scriptOnly: FirstChart;
  /** The same three with the CPU slowed `cpuSlowdown` times, like a mid-range phone. */
  slowCpu: { cpuSlowdown: number; withScript: FirstChart; withoutScript: FirstChart; scriptOnly: FirstChart };
  /** The browser's own floor: first paint of a page holding one line of text, after its HTML arrived. */
  emptyPageFirstPaintAfterHtml: Timing;
  /** Bytes of the embed page as sent (compressed). */
  pageTransferredBytes: number;
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

/** The built file a page URL is answered with (the embed page: its template, without the pot drawn in). */
function builtFile(urlPath: string): string {
  if (urlPath.startsWith('/embed/')) return path.join(CLIENT_DIR, 'embed.html');
  return path.join(CLIENT_DIR, urlPath);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return Math.round(sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2);
};

type LoadKind = 'withScript' | 'withoutScript' | 'scriptOnly' | 'emptyPage';

interface ColdLoad {
  firstPaint: number;
  responseEnd: number;
  liveChart: number | undefined;
  fetched: Array<{ path: string; type: string; transferredBytes: number }>;
}

/**
 * One cold load (new context, empty cache): when the first paint and the live chart came, and
 * what was fetched. `scriptOnly` serves the built page as it is, empty, for its script to fill
 * (how the embed worked before the server drew it).
 */
async function coldLoad(browser: Browser, url: string, cpuSlowdown: number, kind: LoadKind): Promise<ColdLoad> {
  const context = await browser.newContext({
    locale: 'en-GB',
    viewport: { width: 640, height: 800 },
    javaScriptEnabled: kind !== 'withoutScript',
  });
  try {
    const page = await context.newPage();
    if (cpuSlowdown > 1) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuSlowdown });
    }
    if (kind === 'scriptOnly') {
      const emptyPage = readFileSync(path.join(CLIENT_DIR, 'embed.html'), 'utf8');
      await page.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: emptyPage }));
    }
    if (kind === 'emptyPage') {
      await page.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><p>Potwatch</p>' }));
    }
    const finished: Request[] = [];
    const onFinished = (request: Request) => finished.push(request);
    page.on('requestfinished', onFinished);
    await page.goto(url);
    const paintAt = (await (
      await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime, undefined, { timeout: 30_000, polling: 20 })
    ).jsonValue()) as number;
    const liveChart =
      kind === 'withoutScript' || kind === 'emptyPage'
        ? undefined
        : ((await (
            await page.waitForFunction((mark) => performance.getEntriesByName(mark)[0]?.startTime, FIRST_CHART_MARK, { timeout: 30_000, polling: 20 })
          ).jsonValue()) as number);
    const responseEnd = await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).responseEnd);
    page.off('requestfinished', onFinished);
    const fetched = await Promise.all(
      finished.map(async (request) => ({
        path: new URL(request.url()).pathname,
        type: request.resourceType(),
        transferredBytes: (await request.sizes()).responseBodySize,
      })),
    );
    return { firstPaint: paintAt, responseEnd, liveChart, fetched };
  } finally {
    await context.close();
  }
}

const timing = (values: number[]): Timing => {
  const runs = values.map((value) => Math.round(value));
  return { runs, median: median(runs) };
};

/** Cold loads of one kind at one CPU speed. */
async function firstChart(browser: Browser, url: string, cpuSlowdown: number, kind: LoadKind, runs: number): Promise<{ timing: FirstChart; last: ColdLoad }> {
  const loads: ColdLoad[] = [];
  for (let run = 0; run < runs; run++) loads.push(await coldLoad(browser, url, cpuSlowdown, kind));
  const live = loads.every((load) => load.liveChart !== undefined);
  return {
    timing: {
      firstPaint: timing(loads.map((load) => load.firstPaint)),
      firstPaintAfterHtml: timing(loads.map((load) => Math.max(0, load.firstPaint - load.responseEnd))),
      ...(live
        ? {
            liveChart: timing(loads.map((load) => load.liveChart!)),
            liveChartAfterHtml: timing(loads.map((load) => load.liveChart! - load.responseEnd)),
          }
        : {}),
    },
    last: loads[loads.length - 1]!,
  };
}

/**
 * What the newsroom embed costs a reader: the weight of everything its page loads (measured
 * in Chromium against the production build), and when the chart shows, over cold loads, at
 * full speed and with the CPU slowed like a phone: the server-drawn chart at first paint, with
 * and without script, and the live chart; beside them, the baseline of an empty page that the
 * script fills (the 0.1 embed).
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
    await coldLoad(browser, url, 1, 'withScript');

    const measure = async (cpu: number) => {
      const withScript = await firstChart(browser!, url, cpu, 'withScript', runs);
      const withoutScript = await firstChart(browser!, url, cpu, 'withoutScript', runs);
      const scriptOnly = await firstChart(browser!, url, cpu, 'scriptOnly', runs);
      return { withScript, withoutScript, scriptOnly };
    };
    const emptyPage = await firstChart(browser, url, 1, 'emptyPage', runs);
    const fast = await measure(1);
    const slow = await measure(cpuSlowdown);
    const { fetched } = fast.withScript.last;

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
      withScript: fast.withScript.timing,
      withoutScript: fast.withoutScript.timing,
      scriptOnly: fast.scriptOnly.timing,
      slowCpu: { cpuSlowdown, withScript: slow.withScript.timing, withoutScript: slow.withoutScript.timing, scriptOnly: slow.scriptOnly.timing },
      emptyPageFirstPaintAfterHtml: emptyPage.timing.firstPaintAfterHtml,
      pageTransferredBytes: fetched.find((file) => file.type === 'document')?.transferredBytes ?? 0,
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
