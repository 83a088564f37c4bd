import { machineMs } from '../lib/clock.js';
import { announceReady, serveParent } from '../lib/parent.js';
import { distribution } from '../lib/stats.js';
import { WebhookClient } from '../lib/webhook-client.js';

/**
 * A load generator for webhook ingest: `concurrency` lanes post signed bodies of
 * `batchSize` readings for `seconds`. Instants are unique and amounts grow with them, so
 * that every reading is new and plausible.
 */
interface SendRequest {
  url: string;
  potId: string;
  batchSize: number;
  concurrency: number;
  seconds: number;
  /** Epoch ms of the first reading; reading k is at firstAt + k * 10 ms. */
  firstAt: number;
}

async function send({ url, potId, batchSize, concurrency, seconds, firstAt }: SendRequest) {
  const client = new WebhookClient(url, potId);
  let next = 0;
  let accepted = 0;
  let duplicates = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  const times: number[] = [];
  const reading = (k: number) => ({ at: firstAt + k * 10, amount: 1000 + k * 5, contributors: 10 + k });
  const started = machineMs();
  const deadline = started + seconds * 1000;
  const lane = async () => {
    while (machineMs() < deadline) {
      const first = next;
      next += batchSize;
      const body =
        batchSize === 1
          ? JSON.stringify(reading(first))
          : JSON.stringify(Array.from({ length: batchSize }, (_, index) => reading(first + index)));
      const sentAt = machineMs();
      const answer = await client.post(body);
      times.push(machineMs() - sentAt);
      if (answer.status === 200) {
        const result = JSON.parse(answer.body) as { accepted: number; duplicates: number };
        accepted += result.accepted;
        duplicates += result.duplicates;
      } else {
        failures++;
        firstFailure ??= `${answer.status} ${answer.body}`;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const elapsedMs = machineMs() - started;
  client.close();
  return { requests: times.length, accepted, duplicates, failures, firstFailure, elapsedMs, latency: distribution(times) };
}

serveParent({ send });
announceReady({ pid: process.pid });
