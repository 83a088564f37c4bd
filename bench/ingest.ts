import path from 'node:path';
import { makeTempDir } from '../tests/helpers/temp-dir.js';
import { DAY } from '../shared/time.js';
import { BenchChild } from './lib/child.js';
import { round, type Distribution } from './lib/stats.js';
import { benchPot } from './lib/webhook-client.js';

export interface IngestMode {
  batchSize: number;
  concurrency: number;
  requests: number;
  /** Readings committed per second, as acknowledged by the server. */
  readingsPerSecond: number;
  /** Request round trip, ms. */
  latency: Distribution;
  failures: number;
}

export interface IngestResult {
  single: IngestMode;
  batched: IngestMode;
  /** The headline figure: readings per second committed with batches of 1,000. */
  readingsPerSecond: number;
}

const POT_ID = 'ingest';

/** Signed webhook posts from a separate process into a real server and SQLite file. */
export async function benchIngest(options: { seconds: number }): Promise<IngestResult> {
  const temp = makeTempDir('potwatch-bench-');
  const children: BenchChild[] = [];
  try {
    const { child: server, ready } = await BenchChild.start<{ port: number }>('servers/potwatch-server.ts', {
      name: 'potwatch server',
      lifetimeMs: 5 * 60_000,
      env: { BENCH_DATABASE: path.join(temp.dir, 'potwatch.db'), BENCH_POTS: JSON.stringify([benchPot(POT_ID)]) },
    });
    children.push(server);
    const { child: sender } = await BenchChild.start('ingest/sender.ts', { name: 'webhook sender', lifetimeMs: 5 * 60_000 });
    children.push(sender);
    const url = `http://127.0.0.1:${ready.port}`;
    const run = async (batchSize: number, concurrency: number, firstAt: number): Promise<IngestMode> => {
      const outcome = await sender.request<{
        requests: number;
        accepted: number;
        failures: number;
        firstFailure?: string;
        elapsedMs: number;
        latency: Distribution;
      }>('send', { url, potId: POT_ID, batchSize, concurrency, seconds: options.seconds, firstAt });
      if (outcome.failures > 0) throw new Error(`ingest: ${outcome.failures} requests failed, first: ${outcome.firstFailure}`);
      return {
        batchSize,
        concurrency,
        requests: outcome.requests,
        readingsPerSecond: round(outcome.accepted / (outcome.elapsedMs / 1000), 0),
        latency: outcome.latency,
        failures: outcome.failures,
      };
    };
    const now = Date.now();
    const single = await run(1, 4, now - 300 * DAY);
    const batched = await run(1000, 2, now - 200 * DAY);
    return { single, batched, readingsPerSecond: batched.readingsPerSecond };
  } finally {
    await Promise.all(children.reverse().map((child) => child.stop()));
    temp.remove();
  }
}
