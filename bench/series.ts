import { Agent, request } from 'node:http';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { makeTempDir } from '../tests/helpers/temp-dir.js';
import { potConfigSchema } from '../shared/pot-config.js';
import { closeDatabase, openDatabase } from '../server/db/database.js';
import { downsample } from '../server/db/downsample.js';
import { PotsRepository } from '../server/db/pots-repository.js';
import { ReadingsRepository } from '../server/db/readings-repository.js';
import { transaction } from '../server/db/transaction.js';
import { BenchChild } from './lib/child.js';
import { machineMs } from './lib/clock.js';
import { distribution, round, type Distribution } from './lib/stats.js';
import { benchPot } from './lib/webhook-client.js';

export interface SeriesResult {
  storedReadings: number;
  points: number;
  /** The headline figure: p50 ms of a 1,000-point series through HTTP. */
  ms: number;
  /** A full answer built for the request: downsampled, encoded and gzipped (each request asks another range). */
  http: Distribution;
  /** A full answer another reader asked for already: from the kept bytes. */
  httpCached: Distribution;
  /** A 304's time over a built full answer's, at the median. */
  notModifiedRatio: number;
  /** A revalidation with If-None-Match (304 Not Modified). */
  httpNotModified: Distribution;
  direct: Distribution;
  /** Direct, over the last day only (a narrower zoom). */
  directLastDay: Distribution;
  responseBytes: number;
  responseGzipBytes: number;
  cacheControl: string | null;
  etag: boolean;
  fillSeconds: number;
}

const POT_ID = 'series';
const STORED = 1_000_000;
const POINTS = 1000;
const STEP_MS = 30_000;

/** Fills a SQLite file with a million readings of one pot, in batched transactions. */
function fill(databasePath: string): void {
  const db = openDatabase(databasePath);
  new PotsRepository(db).syncFilePots([potConfigSchema.parse(benchPot(POT_ID))]);
  const readings = new ReadingsRepository(db);
  const first = Date.UTC(2019, 0, 1);
  const chunk = 20_000;
  for (let from = 0; from < STORED; from += chunk) {
    const batch = Array.from({ length: chunk }, (_, offset) => {
      const k = from + offset;
      return { at: first + k * STEP_MS, amountMinor: 100 * k + (k % 7) * 13, contributors: Math.floor(k / 3) };
    });
    transaction(db, () => readings.insert(POT_ID, batch));
  }
  closeDatabase(db);
}

function time(runs: number, work: () => void): Distribution {
  const times: number[] = [];
  for (let index = 0; index < runs; index++) {
    const started = machineMs();
    work();
    times.push(machineMs() - started);
  }
  return distribution(times);
}

function get(agent: Agent, url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>(
    (resolve, reject) => {
      request(url, { agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      })
        .on('error', reject)
        .end();
    },
  );
}

/** A 1,000-point series over a million stored readings, directly and through HTTP. */
export async function benchSeries(options: { runs: number }): Promise<SeriesResult> {
  const temp = makeTempDir('potwatch-bench-');
  const databasePath = path.join(temp.dir, 'potwatch.db');
  let server: BenchChild | undefined;
  try {
    const fillStart = machineMs();
    fill(databasePath);
    const fillSeconds = (machineMs() - fillStart) / 1000;

    const db = openDatabase(databasePath);
    const readings = new ReadingsRepository(db);
    const lookup = {
      range: (a: number, b: number, limit: number) => readings.range(POT_ID, a, b, limit),
      firstIn: (a: number, b: number) => readings.firstIn(POT_ID, a, b),
      lastIn: (a: number, b: number) => readings.lastIn(POT_ID, a, b),
    };
    const from = readings.first(POT_ID)!.at;
    const to = readings.latest(POT_ID)!.at;
    const check = downsample(lookup, from, to, POINTS);
    if (check.length > POINTS || check.length < POINTS * 0.9) throw new Error(`series: got ${check.length} points`);
    time(5, () => downsample(lookup, from, to, POINTS));
    const direct = time(options.runs, () => downsample(lookup, from, to, POINTS));
    const directLastDay = time(options.runs, () => downsample(lookup, to - 86_400_000, to, POINTS));
    closeDatabase(db);

    const started = await BenchChild.start<{ port: number }>('servers/potwatch-server.ts', {
      name: 'potwatch server',
      lifetimeMs: 3 * 60_000,
      env: { BENCH_DATABASE: databasePath, BENCH_POTS: JSON.stringify([benchPot(POT_ID)]) },
    });
    server = started.child;
    const url = `http://127.0.0.1:${started.ready.port}/api/pots/${POT_ID}/series?points=${POINTS}`;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const gzip = { 'Accept-Encoding': 'gzip' };
    const first = await get(agent, url);
    const body = JSON.parse(first.body.toString('utf8')) as { points: unknown[]; from: number };
    if (first.status !== 200 || body.points.length > POINTS) throw new Error(`series: HTTP ${first.status}`);
    const etag = first.headers.etag as string | undefined;
    const httpTimes: number[] = [];
    const cachedTimes: number[] = [];
    const notModifiedTimes: number[] = [];
    for (let index = 0; index < options.runs; index++) {
      // A range starting a millisecond later: the same work, but an answer nobody asked for yet.
      let sentAt = machineMs();
      await get(agent, `${url}&from=${body.from + index + 1}`, gzip);
      httpTimes.push(machineMs() - sentAt);
      sentAt = machineMs();
      await get(agent, url, gzip);
      cachedTimes.push(machineMs() - sentAt);
      if (etag) {
        sentAt = machineMs();
        const revalidated = await get(agent, url, { 'If-None-Match': etag });
        notModifiedTimes.push(machineMs() - sentAt);
        if (revalidated.status !== 304) throw new Error(`series: revalidation answered ${revalidated.status}`);
      }
    }
    agent.destroy();
    const http = distribution(httpTimes);
    return {
      storedReadings: STORED,
      points: body.points.length,
      ms: http.p50,
      http,
      httpCached: distribution(cachedTimes),
      httpNotModified: distribution(notModifiedTimes),
      notModifiedRatio: round(distribution(notModifiedTimes).p50 / http.p50),
      direct,
      directLastDay,
      responseBytes: first.body.length,
      responseGzipBytes: gzipSync(first.body).length,
      cacheControl: (first.headers['cache-control'] as string | undefined) ?? null,
      etag: Boolean(etag),
      fillSeconds: round(fillSeconds, 1),
    };
  } finally {
    await server?.stop();
    temp.remove();
  }
}
