import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import autocannon from 'autocannon';
import { makeTempDir } from '../tests/helpers/temp-dir.js';
import { BenchChild } from './lib/child.js';
import { round } from './lib/stats.js';
import { benchPot, WebhookClient } from './lib/webhook-client.js';

const POT_ID = 'bench-throughput';
const MINUTE = 60_000;
/** A week of minute readings: the embed page draws 600 points of it. */
const STORED_READINGS = 7 * 24 * 60;

export interface ThroughputOptions {
  /** Seconds of load per measured answer. */
  seconds: number;
  /** Connections kept open by the load generator. */
  connections: number;
}

export interface Rate {
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Bytes of one answer's body, as sent. */
  bytes: number;
}

export interface ThroughputResult {
  connections: number;
  seconds: number;
  embed: { page: Rate; revalidated: Rate; staticFile: Rate; ratio: number };
  live: { snapshot: Rate; revalidated: Rate; staticFile: Rate; ratio: number };
}

interface Target {
  url: string;
  headers: Record<string, string>;
}

async function load(target: Target, options: ThroughputOptions, expectStatus: number): Promise<Rate> {
  const result = await autocannon({
    url: target.url,
    headers: target.headers,
    connections: options.connections,
    duration: options.seconds,
  });
  const expected = expectStatus === 200 ? result['2xx'] : result['3xx'];
  if (result.non2xx - (expectStatus === 304 ? result['3xx'] : 0) > 0 || expected === 0) {
    throw new Error(`throughput: ${target.url} answered other than ${expectStatus} (${result['2xx']} 2xx, ${result['3xx']} 3xx, ${result.non2xx} non-2xx)`);
  }
  return {
    requestsPerSecond: round(result.requests.average, 0),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    bytes: Math.round(result.throughput.total / result.requests.total),
  };
}

/** An answer's body exactly as sent (compressed if it was), and its ETag. */
function fetchAnswer(url: string, headers: Record<string, string>): Promise<{ body: Buffer; etag: string }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`throughput: ${url} answered ${res.statusCode}`));
        else resolve({ body: Buffer.concat(chunks), etag: String(res.headers.etag) });
      });
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

/**
 * Requests per second for the embed page and the live snapshot, each beside express.static
 * serving a file of the same size in a process of its own, and for their revalidations (304).
 * Potwatch runs with its whole middleware stack (security headers, routing) in its own process.
 */
export async function benchThroughput(options: ThroughputOptions): Promise<ThroughputResult> {
  const temp = makeTempDir('potwatch-bench-throughput-');
  const children: BenchChild[] = [];
  try {
    const potwatch = await BenchChild.start<{ port: number }>('servers/potwatch-server.ts', {
      name: 'potwatch server',
      lifetimeMs: 5 * 60_000,
      env: { BENCH_DATABASE: path.join(temp.dir, 'potwatch.db'), BENCH_POTS: JSON.stringify([benchPot(POT_ID)]) },
    });
    children.push(potwatch.child);
    const origin = `http://127.0.0.1:${potwatch.ready.port}`;
    const webhook = new WebhookClient(origin, POT_ID);
    const start = Date.now() - STORED_READINGS * MINUTE;
    for (let from = 0; from < STORED_READINGS; from += 1000) {
      const batch = Array.from({ length: Math.min(1000, STORED_READINGS - from) }, (_, i) => ({
        at: start + (from + i) * MINUTE,
        amount: 100 + (from + i) * 3,
        contributors: from + i,
      }));
      const answer = await webhook.post(JSON.stringify(batch));
      if (answer.status !== 200) throw new Error(`throughput: webhook answered ${answer.status} ${answer.body}`);
    }
    webhook.close();

    // A browser's headers: the page compressed (as most readers get it), the snapshot too small to be.
    const embed: Target = { url: `${origin}/embed/${POT_ID}?lang=en`, headers: { 'accept-encoding': 'gzip, deflate, br', accept: 'text/html' } };
    const live: Target = { url: `${origin}/api/pots/${POT_ID}/live`, headers: { 'accept-encoding': 'gzip, deflate, br' } };
    const embedAnswer = await fetchAnswer(embed.url, { ...embed.headers, 'accept-encoding': 'br' });
    const liveAnswer = await fetchAnswer(live.url, live.headers);
    writeFileSync(path.join(temp.dir, 'embed.bin'), embedAnswer.body);
    writeFileSync(path.join(temp.dir, 'live.bin'), liveAnswer.body);
    const files = await BenchChild.start<{ port: number }>('servers/static-server.ts', {
      name: 'static server',
      lifetimeMs: 5 * 60_000,
      env: { BENCH_STATIC_DIR: temp.dir },
    });
    children.push(files.child);
    const staticOrigin = `http://127.0.0.1:${files.ready.port}`;

    const embedPage = await load({ ...embed, headers: { ...embed.headers, 'accept-encoding': 'br' } }, options, 200);
    const embedStatic = await load({ url: `${staticOrigin}/embed.bin`, headers: {} }, options, 200);
    const embedRevalidated = await load({ ...embed, headers: { ...embed.headers, 'if-none-match': embedAnswer.etag } }, options, 304);
    const snapshot = await load(live, options, 200);
    const liveStatic = await load({ url: `${staticOrigin}/live.bin`, headers: {} }, options, 200);
    const liveRevalidated = await load({ ...live, headers: { ...live.headers, 'if-none-match': liveAnswer.etag } }, options, 304);
    return {
      connections: options.connections,
      seconds: options.seconds,
      embed: { page: embedPage, revalidated: embedRevalidated, staticFile: embedStatic, ratio: round(embedPage.requestsPerSecond / embedStatic.requestsPerSecond) },
      live: { snapshot, revalidated: liveRevalidated, staticFile: liveStatic, ratio: round(snapshot.requestsPerSecond / liveStatic.requestsPerSecond) },
    };
  } finally {
    await Promise.all(children.map((child) => child.stop()));
    temp.remove();
  }
}
