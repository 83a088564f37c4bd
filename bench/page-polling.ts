import { pino } from 'pino';
import { potConfigSchema, type SourceOf } from '../shared/pot-config.js';
import { AddressPolicy } from '../server/sources/address-policy.js';
import { PageRenderer, DEFAULT_RENDERER_OPTIONS } from '../server/sources/browser/page-renderer.js';
import { readPage, type PageAccess } from '../server/sources/page/page-reader.js';
import { startPotPlatform } from '../tests/helpers/pot-platform.js';
import { distribution, type Distribution } from './lib/stats.js';

export interface PollingRun {
  mode: 'static' | 'browser';
  pollsPerMinute: number;
  latency: Distribution;
  failures: number;
}

export interface PagePollingResult {
  seconds: number;
  /** Polls in flight at once, as many as the renderer's open pages. */
  concurrency: number;
  served: PollingRun;
  rendered: PollingRun;
  /** Rendered polls per minute as a share of the served ones, in the same run. */
  renderedShare: number;
  /** Rendered as a source made through the API: every connection through the address policy's proxy. */
  renderedThroughPolicy: PollingRun;
  /** Its polls per minute as a share of the rendered ones without the policy, in the same run. */
  policyShare: number;
  chromium: { idleMiB: number; busyMiB: number; perOpenPageMiB: number };
}

const MIB = 1024 * 1024;

/**
 * How many polls of a pot page one process sustains: the page as served (one HTTP request,
 * parsed), against the page rendered by the shared headless Chromium (a script draws the
 * figures and the contribution list), the same stand-in platform for both, one after the other.
 */
export async function benchPagePolling(options: { seconds: number; concurrency: number }): Promise<PagePollingResult> {
  const platform = await startPotPlatform({ widgetDelayMs: 50 });
  for (let i = 0; i < 40; i++) platform.give(i % 5 ? `Donateur ${i}` : 'Anonyme', 10 + (i % 4) * 5, i % 3 ? `Merci ${i}` : undefined);
  const renderer = new PageRenderer(pino({ level: 'silent' }), { ...DEFAULT_RENDERER_OPTIONS, maxPages: options.concurrency, maxRenders: Number.MAX_SAFE_INTEGER });
  const access: PageAccess = { renderer };
  const source = (url: string, render: 'static' | 'browser') =>
    potConfigSchema.parse({ id: 'bench', title: 'Bench', source: { kind: 'html', url, render, timeoutSeconds: 10 } }).source as SourceOf<'html'>;
  try {
    const served = await run('static', source(platform.servedPage, 'static'), access, options);
    // Chromium started and warm before the rendered run is timed.
    await readPage(source(platform.scriptedPage, 'browser'), access, { currency: 'EUR', signal: new AbortController().signal });
    const idle = renderer.stats().memoryBytes ?? 0;
    let busy = idle;
    const sampler = setInterval(() => (busy = Math.max(busy, renderer.stats().memoryBytes ?? 0)), 250);
    const rendered = await run('browser', source(platform.scriptedPage, 'browser'), access, options);
    clearInterval(sampler);
    // The stand-in platform is on loopback: allowed by name, as SOURCES_ALLOW_HOSTS would.
    const policed: PageAccess = { renderer, policy: new AddressPolicy(['127.0.0.1']) };
    await readPage(source(platform.scriptedPage, 'browser'), policed, { currency: 'EUR', signal: new AbortController().signal });
    const renderedThroughPolicy = await run('browser', source(platform.scriptedPage, 'browser'), policed, options);
    return {
      seconds: options.seconds,
      concurrency: options.concurrency,
      served,
      rendered,
      renderedShare: Math.round((rendered.pollsPerMinute / served.pollsPerMinute) * 10_000) / 10_000,
      renderedThroughPolicy,
      policyShare: Math.round((renderedThroughPolicy.pollsPerMinute / rendered.pollsPerMinute) * 10_000) / 10_000,
      chromium: {
        idleMiB: Math.round(idle / MIB),
        busyMiB: Math.round(busy / MIB),
        perOpenPageMiB: Math.round(((busy - idle) / options.concurrency / MIB) * 10) / 10,
      },
    };
  } finally {
    await renderer.close();
    await platform.close();
  }
}

async function run(mode: 'static' | 'browser', config: SourceOf<'html'>, access: PageAccess, options: { seconds: number; concurrency: number }): Promise<PollingRun> {
  const deadline = Date.now() + options.seconds * 1000;
  const latencies: number[] = [];
  let failures = 0;
  const worker = async () => {
    while (Date.now() < deadline) {
      const started = performance.now();
      try {
        await readPage(config, access, { currency: 'EUR', signal: new AbortController().signal });
        latencies.push(performance.now() - started);
      } catch {
        failures++;
      }
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const elapsedMinutes = (Date.now() - started) / 60_000;
  return {
    mode,
    pollsPerMinute: Math.round(latencies.length / elapsedMinutes),
    latency: distribution(latencies),
    failures,
  };
}
