import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { pino } from 'pino';
import { pollDelay, POLL_INTERVAL_MS } from '../client/src/lib/live-feed.js';
import { potConfigSchema } from '../shared/pot-config.js';
import { startPotwatch } from '../server/potwatch.js';
import { getThrough, startNginx } from '../tests/helpers/nginx.js';
import { makeTempDir } from '../tests/helpers/temp-dir.js';
import { distribution, round, type Distribution } from './lib/stats.js';
import { benchPot, WebhookClient } from './lib/webhook-client.js';

const POT_ID = 'bench-proxy';

export interface ProxyOptions {
  readers: number;
  /** Seconds of polling measured before a new reading is sent. */
  seconds: number;
}

export interface ProxyResult {
  readers: number;
  seconds: number;
  /** Polls the readers made per second: what would reach Potwatch without the proxy. */
  readerPollsPerSecond: number;
  /** Polls that reached Potwatch per second, through nginx. */
  originPollsPerSecond: number;
  /** ms from the webhook's answer to each reader seeing the new reading. */
  freshness: Distribution;
  pollIntervalMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Potwatch behind deploy/nginx.conf (run on loopback): `readers` readers poll the live snapshot
 * as the embed does; how many polls reach Potwatch, and how long a new reading takes to reach
 * every reader.
 */
export async function benchProxy(options: ProxyOptions): Promise<ProxyResult> {
  const temp = makeTempDir('potwatch-bench-proxy-');
  const server = await startPotwatch({
    databasePath: path.join(temp.dir, 'bench.db'),
    port: 0,
    host: '127.0.0.1',
    pots: [potConfigSchema.parse(benchPot(POT_ID))],
    demo: false,
    trustProxy: 'loopback',
    logger: pino({ level: 'silent' }),
  });
  const nginx = await startNginx(server.port);
  const webhook = new WebhookClient(server.url, POT_ID);
  try {
    await webhook.post(JSON.stringify({ amount: 100, contributors: 1 }));
    const livePath = `/api/pots/${POT_ID}/live`;
    let originPolls = 0;
    server.httpServer.on('request', (req: IncomingMessage) => {
      if (req.url === livePath) originPolls++;
    });
    let readerPolls = 0;
    let stopped = false;
    let awaited: number | undefined;
    const seenAt: number[] = [];
    const reader = async () => {
      let etag: string | undefined;
      let seen = false;
      await sleep(Math.random() * POLL_INTERVAL_MS);
      while (!stopped) {
        const answer = await getThrough(nginx, livePath, etag ? { 'If-None-Match': etag } : {});
        readerPolls++;
        if (answer.status === 200) {
          etag = answer.headers.etag as string;
          const at = (JSON.parse(answer.body.toString()) as { latest: { at: number } | null }).latest?.at;
          if (!seen && awaited !== undefined && at === awaited) {
            seen = true;
            seenAt.push(Date.now());
          }
        }
        await sleep(pollDelay(0, Math.random()));
      }
    };
    const readers = Array.from({ length: options.readers }, reader);
    await sleep(2 * POLL_INTERVAL_MS);
    const [originBefore, readersBefore, started] = [originPolls, readerPolls, Date.now()];
    await sleep(options.seconds * 1000);
    const seconds = (Date.now() - started) / 1000;
    const originPollsPerSecond = round((originPolls - originBefore) / seconds);
    const readerPollsPerSecond = round((readerPolls - readersBefore) / seconds);

    awaited = Date.now();
    const answer = await webhook.post(JSON.stringify({ at: awaited, amount: 200, contributors: 2 }));
    if (answer.status !== 200) throw new Error(`proxy: webhook answered ${answer.status}`);
    const answeredAt = Date.now();
    const deadline = answeredAt + 15_000;
    while (seenAt.length < options.readers && Date.now() < deadline) await sleep(50);
    stopped = true;
    await Promise.all(readers);
    if (seenAt.length < options.readers) throw new Error(`proxy: ${options.readers - seenAt.length} readers never saw the new reading`);
    return {
      readers: options.readers,
      seconds: options.seconds,
      readerPollsPerSecond,
      originPollsPerSecond,
      freshness: distribution(seenAt.map((at) => at - answeredAt)),
      pollIntervalMs: POLL_INTERVAL_MS,
    };
  } finally {
    webhook.close();
    await nginx.stop();
    await server.close();
    temp.remove();
  }
}
