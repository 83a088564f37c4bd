import { writeFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { signBody, SIGNATURE_HEADER } from '../../server/ingest/webhook.js';
import { startServerProcess, type ServerProcess } from '../helpers/processes.js';
import { WEBHOOK_SECRET } from '../helpers/server.js';
import { recordFigures, soakIntensity, soakTimeout } from '../helpers/soak.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const SENDERS = 4;
const KILLS = 3 * soakIntensity();
/** Readings are dated from a day ago, one millisecond apart, so that the k-th one is known by its date alone. */
const BASE = Date.now() - 24 * 3600_000;

/** The k-th reading: both figures equal k, so that every arrival order passes the guard. */
const readingNumber = (k: number) => ({ at: BASE + k, amount: (k / 100).toFixed(2), contributors: k });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Tally {
  /** Readings whose delivery got a 200, by number. */
  acknowledged: Set<number>;
  /** Deliveries cut by a kill before any answer: stored or not, the sender cannot know. */
  cut: number;
  /** Deliveries refused while the server was down. */
  refused: number;
  /** Readings a retried delivery found already stored: committed, then killed before the 200. */
  committedButUnanswered: number;
  deliveries: number;
  answers503: number;
}

describe('crash safety: SIGKILL in the middle of a stream of signed webhooks', () => {
  let server: ServerProcess | undefined;
  let temp: ReturnType<typeof makeTempDir> | undefined;

  afterEach(async () => {
    await server?.kill();
    server = undefined;
    temp?.remove();
  });

  it(
    `stores every acknowledged reading exactly once across ${KILLS} kills, and the database passes integrity_check`,
    async () => {
      temp = makeTempDir();
      const config = path.join(temp.dir, 'pots.json');
      writeFileSync(config, JSON.stringify({ pots: [{ id: 'alpha', title: 'Alpha', source: { kind: 'webhook', secret: '${HOOK_SECRET}' } }] }));
      const databasePath = path.join(temp.dir, 'potwatch.db');
      const start = () =>
        startServerProcess({ POTWATCH_CONFIG: config, DATABASE_PATH: databasePath, HOOK_SECRET: WEBHOOK_SECRET, LOG_LEVEL: 'info' });
      server = await start();

      const tally: Tally = { acknowledged: new Set(), cut: 0, refused: 0, committedButUnanswered: 0, deliveries: 0, answers503: 0 };
      let nextNumber = 0;
      let stopping = false;

      /** A webhook sender as a platform would write one: a delivery is sent again until it gets its 200. */
      const sender = async (): Promise<void> => {
        while (!stopping) {
          const size = 1 + (nextNumber % 5);
          const numbers = Array.from({ length: size }, (_, i) => nextNumber + i);
          nextNumber += size;
          const body = JSON.stringify(numbers.map(readingNumber));
          for (let attempt = 0; ; attempt++) {
            let response: Response;
            try {
              tally.deliveries++;
              response = await fetch(`${server!.url}/api/pots/alpha/readings`, {
                method: 'POST',
                headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signBody(body, WEBHOOK_SECRET) },
                body,
                signal: AbortSignal.timeout(10_000),
              });
            } catch (error) {
              if ((error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED') tally.refused++;
              else tally.cut++;
              await sleep(20);
              continue;
            }
            const answer = await response.json().catch(() => null);
            if (response.status === 503) {
              tally.answers503++;
              await sleep(50);
              continue;
            }
            expect({ status: response.status, answer }).toMatchObject({ status: 200, answer: { duplicates: expect.any(Number) } });
            expect(answer.accepted + answer.duplicates).toBe(size);
            if (attempt > 0) tally.committedButUnanswered += answer.duplicates;
            for (const k of numbers) tally.acknowledged.add(k);
            break;
          }
        }
      };

      const senders = Array.from({ length: SENDERS }, sender);
      for (let kill = 0; kill < KILLS; kill++) {
        // Let the stream run (and a good number of deliveries be acknowledged) before each kill.
        const before = tally.acknowledged.size;
        while (tally.acknowledged.size < before + 50) await sleep(10);
        await sleep(Math.random() * 300);
        server.child.kill('SIGKILL');
        expect(await server.exited).toBe('SIGKILL');
        server = await start();
      }
      const afterLastStart = tally.acknowledged.size;
      while (tally.acknowledged.size < afterLastStart + 50) await sleep(10);
      stopping = true;
      await Promise.all(senders);
      server.child.kill('SIGKILL');
      await server.exited;

      const db = new BetterSqlite3(databasePath);
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const rows = db.prepare(`SELECT at, amount_minor, contributors FROM readings WHERE pot_id = 'alpha' ORDER BY at`).all() as {
          at: number;
          amount_minor: number;
          contributors: number;
        }[];
        const stored = rows.map((row) => row.at - BASE);
        const storedSet = new Set(stored);
        const missing = [...tally.acknowledged].filter((k) => !storedSet.has(k));
        expect(missing).toEqual([]);
        // Every delivery was sent until acknowledged: what is stored is exactly what was acknowledged, once.
        expect(stored).toEqual([...tally.acknowledged].sort((a, b) => a - b));
        for (const row of rows) expect(row).toEqual({ at: row.at, amount_minor: row.at - BASE, contributors: row.at - BASE });
        expect((db.prepare('SELECT count(*) AS n FROM quarantined_readings').get() as { n: number }).n).toBe(0);
      } finally {
        db.close();
      }
      recordFigures('crash', {
        kills: KILLS,
        senders: SENDERS,
        acknowledged: tally.acknowledged.size,
        stored: tally.acknowledged.size,
        deliveries: tally.deliveries,
        cut: tally.cut,
        refused: tally.refused,
        committedButUnanswered: tally.committedButUnanswered,
        answers503: tally.answers503,
      });
    },
    soakTimeout(60_000),
  );
});
