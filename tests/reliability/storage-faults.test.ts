import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DEMO_POT } from '../../server/config/demo-pot.js';
import { signBody, SIGNATURE_HEADER } from '../../server/ingest/webhook.js';
import { police2019Scenario } from '../../server/sources/scenarios/police-2019.js';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { addUser, FAST_SCRYPT, signedIn } from '../helpers/moderation.js';
import { connectViewer, nextEvent, postReadings, startTestServer, webhookPot, WEBHOOK_SECRET, type TestServer } from '../helpers/server.js';
import { recordFigures } from '../helpers/soak.js';
import { waitFor } from '../helpers/wait-for.js';

const MINUTE = 60_000;
const T0 = Date.now() - 24 * 60 * MINUTE;

const reading = (i: number) => ({ at: T0 + i * MINUTE, amount: 100 + i, contributors: 10 + i });
const batch = (from: number, size: number) => Array.from({ length: size }, (_, i) => reading(from + i));

/** Readings of pot alpha, as another connection to the file sees them. */
const storedCount = (other: BetterSqlite3.Database) =>
  (other.prepare(`SELECT count(*) AS n FROM readings WHERE pot_id = 'alpha'`).get() as { n: number }).n;

/** Milliseconds `/healthz` takes to answer: how long the event loop was held up. */
async function healthLatency(url: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${url}/healthz`);
  await response.arrayBuffer();
  return performance.now() - started;
}

describe('storage faults: the database refuses a write', () => {
  it('answers 503 with Retry-After while another process holds the write lock, stays responsive, and stores once it is released', async () => {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')], moderation: { scryptCost: FAST_SCRYPT } }));
    await addUser(server, 'alice', 'moderator');
    const alice = await signedIn(server, 'alice');
    // Closing it, if the test stops while it holds the lock, rolls its transaction back.
    const other = closeAfterTest(new BetterSqlite3(server.databasePath));
    const viewer = closeAfterTest(await connectViewer(server.url));
    await viewer.emitWithAck('subscribe', { potId: 'alpha' });

    other.exec('BEGIN IMMEDIATE');
    // A storm of deliveries while the lock is held, and health probes beside it.
    const deliveries = Array.from({ length: 40 }, (_, i) => deliver(server, reading(i)));
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) latencies.push(await healthLatency(server.url));
    for (const answer of await Promise.all(deliveries)) {
      expect(answer.status).toBe(503);
      expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(answer.json.error).toMatchObject({ code: 'storage_unavailable', message: expect.stringContaining('locked') });
    }
    const flag = await alice.request('POST', '/api/pots/alpha/flags', { from: T0, to: T0 + MINUTE, reason: 'other', published: false });
    expect(flag.status).toBe(503);
    expect(flag.json.error.code).toBe('storage_unavailable');
    expect(Number(flag.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Each delivery used to hold the whole server for the 5 s busy timeout: 40 of them, 200 s.
    expect(Math.max(...latencies)).toBeLessThan(4000);
    other.exec('ROLLBACK');
    expect(storedCount(other)).toBe(0);

    const received = nextEvent(viewer, 'reading', (event) => event.contributors === 10, 8000);
    let answer = await deliver(server, reading(0));
    if (answer.status === 503) {
      await new Promise((resolve) => setTimeout(resolve, Number(answer.retryAfter) * 1000));
      answer = await deliver(server, reading(0));
    }
    expect(answer).toMatchObject({ status: 200, json: { accepted: 1, duplicates: 0 } });
    expect(await received).toMatchObject({ potId: 'alpha', contributors: 10 });
    expect(storedCount(other)).toBe(1);
    recordFigures('faults', {
      name: `write lock held by another process: 40 webhook deliveries and a flag, all 503 with Retry-After, none stored; /healthz at worst ${Math.round(Math.max(...latencies))} ms`,
      faults: 41,
    });
  });

  it('answers 503 with Retry-After when the disk is full, stores nothing of a batch, keeps the replay running, and recovers when space returns', async () => {
    const replay = { ...DEMO_POT, source: { kind: 'replay' as const, scenario: 'police-2019' as const, speed: 60_000, loop: false } };
    const server = closeAfterTest(
      await startTestServer({
        pots: [webhookPot('alpha'), replay],
        moderation: { scryptCost: FAST_SCRYPT },
      }),
    );
    await addUser(server, 'alice', 'moderator');
    const alice = await signedIn(server, 'alice');
    const other = closeAfterTest(new BetterSqlite3(server.databasePath));
    expect((await postReadings(server.url, 'alpha', batch(0, 10))).status).toBe(200);
    await waitFor(() => server.states.latest(replay.id) !== undefined, 'the replay to store readings');

    fillDisk(server);
    const full = await deliver(server, batch(10, 1000));
    expect(full.status).toBe(503);
    expect(Number(full.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(full.json.error).toMatchObject({ code: 'storage_unavailable', message: expect.stringContaining('full') });
    expect(storedCount(other)).toBe(10);

    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    await waitFor(() => server.states.statusInfo(replay.id).reason === 'the replay readings could not be stored', 'the replay to report');
    const replayBefore = server.states.latest(replay.id)!;

    server.db.pragma('max_page_count = 1073741823');
    const recovered = await postReadings(server.url, 'alpha', batch(10, 1000));
    expect(recovered).toEqual({ status: 200, json: { accepted: 1000, duplicates: 0 } });
    expect(storedCount(other)).toBe(1010);
    expect((await alice.request('POST', '/api/pots/alpha/flags', { from: T0, to: T0 + MINUTE, reason: 'other', published: false })).status).toBe(201);
    await waitFor(() => server.states.latest(replay.id)!.at > replayBefore.at, 'the replay to go on');
    const replayRows = other.prepare('SELECT at FROM readings WHERE pot_id = ? ORDER BY at').all(replay.id) as { at: number }[];
    const scenario = police2019Scenario().steps.map((step) => step.reading.at);
    // Nothing of the replay was skipped over the outage: what is stored is a prefix of the scenario.
    expect(replayRows.map((row) => row.at)).toEqual(scenario.slice(0, replayRows.length));
    expect(other.pragma('integrity_check', { simple: true })).toBe('ok');
    recordFigures('faults', { name: 'disk full: a 1,000-reading batch answered 503 with Retry-After, 0 stored; the replay paused and went on without a gap', faults: 1 });
  });
});

interface Delivery {
  status: number;
  retryAfter: string | null;
  json: any;
}

/** A signed webhook delivery, with the Retry-After header of the answer. */
async function deliver(server: TestServer, body: unknown): Promise<Delivery> {
  const raw = JSON.stringify(body);
  const response = await fetch(`${server.url}/api/pots/alpha/readings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signBody(raw, WEBHOOK_SECRET) },
    body: raw,
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), json: await response.json() };
}

/**
 * A full disk without root or a tmpfs: the server's connection may not grow the file past
 * its current size, and the free pages left inside it are filled up first, so that every
 * write needing a page fails with SQLITE_FULL.
 */
function fillDisk(server: TestServer): void {
  const { db } = server;
  db.exec('CREATE TABLE IF NOT EXISTS filler (blob BLOB)');
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
  const insert = db.prepare('INSERT INTO filler VALUES (randomblob(?))');
  for (const size of [65536, 4096, 512, 64, 1]) {
    for (;;) {
      try {
        insert.run(size);
      } catch {
        break;
      }
    }
  }
}
