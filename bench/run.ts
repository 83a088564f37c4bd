import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchAlerts, type AlertsBenchResult } from './alerts.js';
import { benchEmbed, type EmbedBenchResult } from './embed.js';
import { benchFanoutTuning, type TuningResult } from './fanout-tuning.js';
import { benchFanout, type FanoutOptions, type FanoutResult } from './fanout.js';
import { benchImport } from './import.js';
import { benchIngest, type IngestResult } from './ingest.js';
import { killAllChildren } from './lib/child.js';
import { printTable, type Row } from './lib/table.js';
import { benchPagePolling, type PagePollingResult } from './page-polling.js';
import { benchPages, type PagesResult } from './pages.js';
import { benchProxy, type ProxyResult } from './proxy.js';
import { benchSeries, type SeriesResult } from './series.js';
import { benchThroughput, type ThroughputResult } from './throughput.js';

/**
 * `npm run bench`: every benchmark is a module exporting one function; its result becomes one
 * section of bench/results.json and a few rows of the printed table.
 *
 *   npm run bench                      the full run (under 10 minutes on 2 cores)
 *   npm run bench -- --quick           smaller figures, for checking the benchmark itself
 *   npm run bench -- --only fanout,series
 */
interface BenchSection<T = any> {
  key: string;
  title: string;
  run(): Promise<T>;
  /** Table rows; sections without them are printed as their numeric fields. */
  rows?(result: T): Row[];
}

const RESULTS_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results.json');
const OVERALL_TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_S ?? 570) * 1000;

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? new Set(args[onlyIndex + 1]?.split(',')) : undefined;

const fanoutOptions: FanoutOptions = quick
  ? { levels: [200, 1000], generators: 2, rate: 2, seconds: 3, rounds: 1, burst: { rate: 10, seconds: 2 } }
  : { levels: [1000, 10_000, topViewers()], generators: 4, rate: 2, seconds: 4, rounds: 3, burst: { rate: 10, seconds: 3 } };
const tuningViewers = quick ? 1000 : 10_000;

/**
 * 20,000 viewers, or as many as the server process's open-file limit leaves room for (each
 * viewer holds one descriptor, and the server needs about a thousand more).
 */
function topViewers(): number {
  const soft = Number(shell('ulimit -Sn'));
  return Number.isFinite(soft) ? Math.min(20_000, Math.floor((soft - 1000) / 1000) * 1000) : 20_000;
}

const ms = (value: number) => `${value} ms`;
const perSecond = (value: number) => `${value.toLocaleString('en')}/s`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

const SECTIONS: BenchSection[] = [
  {
    key: 'fanout',
    title: `Fan-out: one pot, ${fanoutOptions.rate} readings/s through the signed webhook`,
    run: () => benchFanout(fanoutOptions),
    rows: (result: FanoutResult): Row[] =>
      result.levels.flatMap((level): Row[] => [
        [
          `${level.viewers} viewers: delivery p50 / p99 (every viewer p99)`,
          `${ms(level.potwatch.delivery.p50)} / ${ms(level.potwatch.delivery.p99)} (${ms(level.potwatch.everyViewer.p99)})`,
          `bare Socket.IO ${ms(level.bare.delivery.p50)} / ${ms(level.bare.delivery.p99)} (${ms(level.bare.everyViewer.p99)})`,
          `×${level.overhead.p50} / ×${level.overhead.p99}`,
        ],
        [
          `${level.viewers} viewers: from the webhook's answer p50 / p99`,
          `${ms(level.potwatch.afterAnswer.p50)} / ${ms(level.potwatch.afterAnswer.p99)}`,
          `webhook answered in ${ms(level.potwatch.webhook.p50)} (bare ${ms(level.bare.webhook.p50)}, after its fan-out)`,
          `CPU/broadcast ${level.potwatch.cpuMsPerBroadcast} ms (bare ${level.bare.cpuMsPerBroadcast})`,
        ],
        [
          `${level.viewers} viewers: server RSS, per viewer, CPU`,
          `${level.potwatch.rssMiB} MiB, ${level.potwatch.rssPerViewerKiB} KiB, ${level.potwatch.cpuPercent}%`,
          `bare ${level.bare.rssMiB} MiB, ${level.bare.rssPerViewerKiB} KiB, ${level.bare.cpuPercent}%`,
          `load average ${level.potwatch.loadAverage}`,
        ],
      ]).concat(
        result.stoppedAt ? [[`${result.stoppedAt.viewers} viewers: not reached`, result.stoppedAt.reason.slice(0, 80), '', '']] : [],
        result.burst
          ? [
              [
                `burst of ${result.burst.rate} readings/s to ${result.viewers}: p50 / p99, messages/viewer/s`,
                `${ms(result.burst.potwatch.delivery.p50)} / ${ms(result.burst.potwatch.delivery.p99)}, ${result.burst.potwatch.messagesPerViewerPerSecond}/s`,
                `bare ${ms(result.burst.bare.delivery.p50)} / ${ms(result.burst.bare.delivery.p99)}, ${result.burst.bare.messagesPerViewerPerSecond}/s`,
                `${result.burst.potwatch.superseded} of ${result.burst.rate * result.burst.seconds} coalesced`,
              ],
            ]
          : [],
      ),
  },
  {
    key: 'tuning',
    title: `Fan-out tuning, ${tuningViewers} viewers each, side by side`,
    run: () => benchFanoutTuning({ viewers: tuningViewers, generators: fanoutOptions.generators, rate: 2, seconds: 4, rounds: 2 }),
    rows: (result: TuningResult) => [
      ...result.comparisons.map((comparison): Row => [
        `${comparison.name}: ${comparison.variant} vs ${comparison.reference}`,
        `p50 ${ms(comparison.variantLevel.delivery.p50)} vs ${ms(comparison.referenceLevel.delivery.p50)}, p99 ${ms(comparison.variantLevel.delivery.p99)} vs ${ms(comparison.referenceLevel.delivery.p99)}`,
        `latency ×${comparison.latencyRatio.p50} / ×${comparison.latencyRatio.p99}`,
        `CPU per broadcast ×${comparison.cpuRatio}`,
      ]),
      ...result.skipped.map((reason): Row => [`skipped`, reason, '', '']),
    ],
  },
  {
    key: 'ingest',
    title: 'Webhook ingest (signed, validated, committed to SQLite)',
    run: () => benchIngest({ seconds: quick ? 3 : 8 }),
    rows: (result: IngestResult) =>
      (['single', 'batched'] as const).map((mode) => [
        `${mode === 'single' ? 'one reading' : '1,000 readings'} per request, ${result[mode].concurrency} in flight`,
        `${result[mode].readingsPerSecond} readings/s`,
        `request p50 ${ms(result[mode].latency.p50)}, p99 ${ms(result[mode].latency.p99)}`,
        `${result[mode].requests} requests`,
      ]),
  },
  {
    key: 'alerts',
    title: 'Alerts: a milestone at every reading, to a webhook receiver on loopback',
    run: () => benchAlerts({ samples: quick ? 50 : 300, readings: quick ? 2000 : 10_000 }),
    rows: (result: AlertsBenchResult) => [
      [
        'reading sent to alert received p50 / p99',
        `${ms(result.delivery.p50)} / ${ms(result.delivery.p99)}`,
        `webhook answered ${ms(result.webhook.p50)} / ${ms(result.webhook.p99)}, alert ${ms(result.afterAnswer.p50)} / ${ms(result.afterAnswer.p99)} after`,
        `bare POST to the receiver ${ms(result.bare.p50)} / ${ms(result.bare.p99)}: ×${result.overhead.p50} / ×${result.overhead.p99}`,
      ],
      [
        `ingest, one reading per transaction, ${result.ingest.alerts} milestone alerts`,
        `${result.ingest.watched} readings/s, none firing`,
        `${result.ingest.firing} readings/s, each firing at every reading`,
        `without alerts ${result.ingest.withoutAlerts}: ×${result.ingest.ratios.watched} / ×${result.ingest.ratios.firing}`,
      ],
    ],
  },
  {
    key: 'series',
    title: 'Series: 1,000 points over 1,000,000 stored readings',
    run: () => benchSeries({ runs: quick ? 20 : 100 }),
    rows: (result: SeriesResult) => [
      ['through HTTP, built for the request p50 / p99', `${ms(result.http.p50)} / ${ms(result.http.p99)}`, `another reader's (kept bytes) p50 ${ms(result.httpCached.p50)}`, `${kib(result.responseBytes)} (${kib(result.responseGzipBytes)} gzip)`],
      ['304 revalidation p50 / p99', `${ms(result.httpNotModified.p50)} / ${ms(result.httpNotModified.p99)}`, `×${result.notModifiedRatio} of a built answer`, 'target ≤ ×0.1'],
      ['direct downsample p50 / p99', `${ms(result.direct.p50)} / ${ms(result.direct.p99)}`, `last day only p50 ${ms(result.directLastDay.p50)}`, `Cache-Control: ${result.cacheControl}`],
    ],
  },
  {
    key: 'throughput',
    title: 'Requests per second against express.static serving a file of the same size (each server in its own process)',
    run: () => benchThroughput(quick ? { seconds: 2, connections: 20 } : { seconds: 5, connections: 50 }),
    rows: (result: ThroughputResult) => [
      [
        `embed page (${kib(result.embed.page.bytes)} brotli)`,
        perSecond(result.embed.page.requestsPerSecond),
        `express.static ${perSecond(result.embed.staticFile.requestsPerSecond)}`,
        `×${result.embed.ratio} (target ≥ ×0.5)`,
      ],
      [
        `live snapshot (${result.live.snapshot.bytes} B)`,
        perSecond(result.live.snapshot.requestsPerSecond),
        `express.static ${perSecond(result.live.staticFile.requestsPerSecond)}`,
        `×${result.live.ratio} (target ≥ ×0.5)`,
      ],
      [
        'revalidated (304): embed page, live snapshot',
        `${perSecond(result.embed.revalidated.requestsPerSecond)}, ${perSecond(result.live.revalidated.requestsPerSecond)}`,
        `p50 ${ms(result.embed.revalidated.latencyP50Ms)}, ${ms(result.live.revalidated.latencyP50Ms)}`,
        `${result.connections} connections`,
      ],
    ],
  },
  {
    key: 'proxy',
    title: 'Behind nginx (deploy/nginx.conf): readers polling the live snapshot',
    run: () => benchProxy(quick ? { readers: 500, seconds: 4 } : { readers: 2000, seconds: 10 }),
    rows: (result: ProxyResult) => [
      [
        `${result.readers} readers: polls reaching Potwatch`,
        perSecond(result.originPollsPerSecond),
        `without the proxy ${perSecond(result.readerPollsPerSecond)}`,
        `one poll every ${result.pollIntervalMs / 1000} s ± 25% each`,
      ],
      [
        'new reading seen by every reader, p50 / max',
        `${ms(result.freshness.p50)} / ${ms(result.freshness.max)}`,
        'after the webhook answered',
        'max-age 1 s + poll',
      ],
    ],
  },
  {
    key: 'pages',
    title: 'Page weight (production build; gzip -6, brotli q11)',
    run: () => benchPages(),
    rows: (result: PagesResult) =>
      [result.dashboard, result.embed].map((page) => [
        `${page.page}: ${page.assets.filter((asset) => !asset.lazy).length} files loaded at once`,
        `${kib(page.gzipBytes)} gzip`,
        `${kib(page.brotliBytes)} brotli, ${kib(page.bytes)} raw`,
        page.lazyGzipBytes ? `+${kib(page.lazyGzipBytes)} gzip loaded later` : '',
      ]),
  },
  {
    key: 'polling',
    title: 'Page sources: polls per minute in one process, the page as served vs rendered by headless Chromium',
    run: () => benchPagePolling({ seconds: quick ? 5 : 20, concurrency: 4 }),
    rows: (result: PagePollingResult) => [
      [
        `rendered by Chromium, ${result.concurrency} pages at once`,
        `${result.rendered.pollsPerMinute} polls/min (p50 ${ms(result.rendered.latency.p50)})`,
        `served HTML ${result.served.pollsPerMinute} polls/min (p50 ${ms(result.served.latency.p50)})`,
        `×${result.renderedShare} of served`,
      ],
      [
        'rendered for an API source, through the address policy\'s proxy',
        `${result.renderedThroughPolicy.pollsPerMinute} polls/min (p50 ${ms(result.renderedThroughPolicy.latency.p50)})`,
        `failures: ${result.renderedThroughPolicy.failures}`,
        `×${result.policyShare} of rendered without it`,
      ],
      [
        'Chromium memory: idle, busy, per open page',
        `${result.chromium.idleMiB} MiB, ${result.chromium.busyMiB} MiB, ${result.chromium.perOpenPageMiB} MiB`,
        `failures: rendered ${result.rendered.failures}, served ${result.served.failures}`,
        '',
      ],
    ],
  },
  {
    key: 'import',
    title: 'CSV import: 1,000,000 rows through the guard into a fresh database',
    run: () => benchImport(),
    rows: (result: Awaited<ReturnType<typeof benchImport>>) => [
      ['rows per second', `${result.rowsPerSecond}`, `${result.rows} rows in ${result.seconds} s`, 'check pass + store pass'],
    ],
  },
  {
    key: 'embed',
    title: 'Embed in Chromium: weight and time to first chart (cold loads)',
    run: () => benchEmbed({ runs: quick ? 3 : 7 }),
    rows: (result: EmbedBenchResult) => {
      const slow = result.slowCpu;
      return [
        [
          `${result.files.length} files loaded`,
          `${kib(result.code.gzipBytes)} gzip`,
          `${kib(result.code.brotliBytes)} brotli, ${kib(result.code.bytes)} raw`,
          `page as sent ${kib(result.pageTransferredBytes)}, host script ${kib(result.hostScript.gzipBytes)} gzip`,
        ],
        [
          'chart visible after the HTML arrived: drawn by the server, with / without script',
          `${ms(result.withScript.firstPaintAfterHtml.median)} / ${ms(result.withoutScript.firstPaintAfterHtml.median)}`,
          `drawn by the script (0.1 embed) ${ms(result.scriptOnly.liveChartAfterHtml!.median)}`,
          `target ≤ 100 ms with CPU 4×; a one-line page ${ms(result.emptyPageFirstPaintAfterHtml.median)}`,
        ],
        [
          `the same, CPU slowed ${slow.cpuSlowdown}×`,
          `${ms(slow.withScript.firstPaintAfterHtml.median)} / ${ms(slow.withoutScript.firstPaintAfterHtml.median)}`,
          `drawn by the script (0.1 embed) ${ms(slow.scriptOnly.liveChartAfterHtml!.median)}`,
          '',
        ],
        [
          'live chart taken over by the script, after the HTML',
          ms(result.withScript.liveChartAfterHtml!.median),
          `CPU ${slow.cpuSlowdown}×: ${ms(slow.withScript.liveChartAfterHtml!.median)}`,
          `from navigation: first paint ${ms(result.withScript.firstPaint.median)}, 0.1 chart ${ms(result.scriptOnly.liveChart!.median)}`,
        ],
      ];
    },
  },
];

function shell(command: string): string {
  try {
    return execFileSync('sh', ['-c', command], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function machine() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    openFiles: { soft: shell('ulimit -Sn'), hard: shell('ulimit -Hn') },
    ephemeralPorts: shell('cat /proc/sys/net/ipv4/ip_local_port_range').replace(/\s+/g, '-'),
    loadAverageAtStart: os.loadavg().map((load) => Math.round(load * 100) / 100),
  };
}

/** Each viewer holds one descriptor in the server and one in a generator. */
function checkOpenFiles(): void {
  const soft = Number(shell('ulimit -Sn'));
  const needed = Math.max(...fanoutOptions.levels) + 1000;
  if (Number.isFinite(soft) && soft < needed && (!only || only.has('fanout'))) {
    throw new Error(
      `the open-file limit is ${soft}, the fan-out benchmark needs ${needed} in the server process: ` +
        `run "ulimit -n ${needed}" (or raise the hard limit in /etc/security/limits.conf) before npm run bench`,
    );
  }
}

async function main(): Promise<void> {
  checkOpenFiles();
  const previous = only && existsSync(RESULTS_FILE) ? JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) : {};
  const results: Record<string, unknown> = { ...previous, machine: machine(), startedAt: new Date().toISOString() };
  const write = () => writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  const table: Row[] = [];
  let failed = false;
  for (const section of SECTIONS) {
    if (only && !only.has(section.key)) continue;
    process.stdout.write(`… ${section.title}\n`);
    const started = Date.now();
    try {
      const result = await section.run();
      results[section.key] = result;
      table.push([`— ${section.title}`, '', '', `${((Date.now() - started) / 1000).toFixed(0)} s`]);
      table.push(...(section.rows ? section.rows(result) : numericRows(result)));
    } catch (error) {
      failed = true;
      results[section.key] = { error: String((error as Error).message ?? error) };
      table.push([`— ${section.title}`, `FAILED: ${(error as Error).message}`, '', '']);
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    }
    write();
  }
  results.finishedAt = new Date().toISOString();
  results.loadAverageAtEnd = os.loadavg().map((load) => Math.round(load * 100) / 100);
  write();
  printTable(table);
  process.stdout.write(`\nWritten to ${path.relative(process.cwd(), RESULTS_FILE)}\n`);
  process.exitCode = failed ? 1 : 0;
}

/** A section without its own rows: its numeric fields, one per row. */
function numericRows(result: unknown, prefix = ''): Row[] {
  if (typeof result === 'number') return [[prefix, String(result), '', '']];
  if (!result || typeof result !== 'object') return [];
  return Object.entries(result).flatMap(([key, value]) => numericRows(value, prefix ? `${prefix}.${key}` : key));
}

const overall = setTimeout(() => {
  process.stderr.write(`bench: stopped after the overall timeout of ${OVERALL_TIMEOUT_MS / 1000} s\n`);
  killAllChildren();
  process.exit(1);
}, OVERALL_TIMEOUT_MS);
overall.unref();
process.on('exit', killAllChildren);

main()
  .catch((error: unknown) => {
    process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => {
    clearTimeout(overall);
    killAllChildren();
  });
