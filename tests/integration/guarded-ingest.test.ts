import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEMO_POT } from '../../server/config/demo-pot.js';
import { openDatabase } from '../../server/db/database.js';
import { PotsRepository } from '../../server/db/pots-repository.js';
import { QuarantineRepository } from '../../server/db/quarantine-repository.js';
import { ReadingsRepository } from '../../server/db/readings-repository.js';
import { Ingest } from '../../server/ingest/ingest.js';
import { police2019Scenario } from '../../server/sources/scenarios/police-2019.js';
import type { Reading } from '../../shared/types.js';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { connectViewer, nextEvent, postReadings, startTestServer, webhookPot, type TestServer } from '../helpers/server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2019, 0, 10, 6, 0);
const at = (minute: number) => new Date(T0 + minute * MINUTE).toISOString();

describe('guard inside ingest: nothing implausible reaches the public series', () => {
  async function series(server: TestServer): Promise<Array<[number, number, number]>> {
    return (await (await fetch(`${server.url}/api/pots/alpha/series?points=5000`)).json()).points;
  }

  /** A server whose pot rose steadily for ten minutes, and a viewer subscribed to it. */
  async function risingPot() {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')] }));
    const rising = Array.from({ length: 10 }, (_, minute) => ({ at: at(minute), amount: 1_000_000 + minute * 100, contributors: 50_000 + minute }));
    expect((await postReadings(server.url, 'alpha', rising)).json).toEqual({ accepted: 10, duplicates: 0 });
    const viewer = closeAfterTest(await connectViewer(server.url));
    await viewer.emitWithAck('subscribe', { potId: 'alpha' });
    return { server, viewer };
  }

  it('holds a drop back, shows the pot stale with the reason, keeps the raw value for moderators', async () => {
    const { server, viewer } = await risingPot();
    const stale = nextEvent(viewer, 'status', (event) => event.status === 'stale');
    const answer = await postReadings(server.url, 'alpha', { at: at(10), amount: '14000.50', contributors: 50_010 });
    expect(answer).toEqual({ status: 200, json: { accepted: 0, duplicates: 0, quarantined: 1 } });
    expect((await stale).reason).toBe('latest figures held for review: amount went down from 1000900.00 EUR to 14000.50 EUR');
    expect((await series(server)).map(([, amount]) => amount).at(-1)).toBe(100_090_000);

    const quarantine = new QuarantineRepository(server.db).list('alpha');
    expect(quarantine).toEqual([
      expect.objectContaining({
        potId: 'alpha',
        at: T0 + 10 * MINUTE,
        amountMinor: 1_400_050,
        contributors: 50_010,
        reasonCode: 'decrease',
        status: 'held',
        origin: 'webhook',
        raw: JSON.stringify({ at: at(10), amount: '14000.50', contributors: 50_010 }),
      }),
    ]);
    expect(await postReadings(server.url, 'alpha', { at: at(10), amount: '14000.50', contributors: 50_010 })).toEqual({
      status: 200,
      json: { accepted: 0, duplicates: 1 },
    });

    const live = nextEvent(viewer, 'status', (event) => event.status === 'live');
    expect((await postReadings(server.url, 'alpha', { at: at(11), amount: 1_001_100, contributors: 50_011 })).json).toEqual({
      accepted: 1,
      duplicates: 0,
    });
    expect((await live).reason).toBeUndefined();
    expect(new QuarantineRepository(server.db).list('alpha')[0]).toMatchObject({ status: 'discarded', resolvedAt: expect.any(Number) });
  });

  it('holds a hundredfold jump, then accepts a confirmed drop as the new truth', async () => {
    const { server, viewer } = await risingPot();
    expect((await postReadings(server.url, 'alpha', { at: at(10), amount: 100_090_000, contributors: 50_010 })).json).toMatchObject({
      quarantined: 1,
    });
    // A refund: the total really went down, and stays down.
    const refunded = [
      { at: at(11), amount: 900_000, contributors: 50_011 },
      { at: at(12), amount: 900_050, contributors: 50_012 },
      { at: at(13), amount: 900_100, contributors: 50_013 },
    ];
    expect((await postReadings(server.url, 'alpha', refunded[0])).json).toMatchObject({ quarantined: 1 });
    expect((await postReadings(server.url, 'alpha', refunded[1])).json).toMatchObject({ quarantined: 1 });
    const released = nextEvent(viewer, 'reading', (event) => event.amountMinor === 90_010_000);
    const live = nextEvent(viewer, 'status', (event) => event.status === 'live');
    expect((await postReadings(server.url, 'alpha', refunded[2])).json).toEqual({ accepted: 1, duplicates: 0 });
    await released;
    await live;

    expect((await series(server)).slice(-4).map(([time, amount]) => [time, amount])).toEqual([
      [T0 + 9 * MINUTE, 100_090_000],
      [T0 + 11 * MINUTE, 90_000_000],
      [T0 + 12 * MINUTE, 90_005_000],
      [T0 + 13 * MINUTE, 90_010_000],
    ]);
    const statuses = new QuarantineRepository(server.db).list('alpha').map((row) => [row.at, row.reasonCode, row.status]);
    expect(statuses).toEqual([
      [T0 + 13 * MINUTE, 'decrease', 'released'],
      [T0 + 12 * MINUTE, 'decrease', 'released'],
      [T0 + 11 * MINUTE, 'decrease', 'released'],
      [T0 + 10 * MINUTE, 'jump', 'discarded'],
    ]);
    expect(new QuarantineRepository(server.db).list('alpha', { status: 'discarded', limit: 10 })).toHaveLength(1);
  });

  it('measures the pace anew after a confirmed jump, so that a second jump is held too', async () => {
    const { server } = await risingPot();
    const level = (minute: number, amount: number) => ({ at: at(minute), amount, contributors: 50_000 + minute });
    for (const minute of [10, 11, 12]) await postReadings(server.url, 'alpha', level(minute, 5_000_000 + minute));
    expect((await series(server)).at(-1)![1]).toBe(500_001_200);
    expect((await postReadings(server.url, 'alpha', level(13, 9_000_000))).json).toMatchObject({ quarantined: 1 });
    expect((await postReadings(server.url, 'alpha', level(14, 5_000_100))).json).toEqual({ accepted: 1, duplicates: 0 });
  });

  it('lets a late reading in only if it fits between its neighbours', async () => {
    const { server } = await risingPot();
    const fits = { at: new Date(T0 + 4.5 * MINUTE).toISOString(), amount: 1_000_450, contributors: 50_004 };
    const doesNotFit = { at: new Date(T0 + 5.5 * MINUTE).toISOString(), amount: 2_000_000, contributors: 50_005 };
    expect((await postReadings(server.url, 'alpha', [fits, doesNotFit])).json).toEqual({ accepted: 1, duplicates: 0, quarantined: 1 });
    expect(new QuarantineRepository(server.db).list('alpha')).toEqual([
      expect.objectContaining({ reasonCode: 'out_of_order', status: 'discarded', amountMinor: 200_000_000 }),
    ]);
    const amounts = (await series(server)).map(([, amount]) => amount);
    expect(amounts).toEqual([...amounts].sort((a, b) => a - b));
  });

  it('remembers held readings across a restart', async () => {
    const { server } = await risingPot();
    await postReadings(server.url, 'alpha', { at: at(10), amount: 10, contributors: 50_010 });
    await server.close();
    const restarted = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')] }, server.databasePath));
    const pot = await (await fetch(`${restarted.url}/api/pots/alpha`)).json();
    expect(pot).toMatchObject({ status: 'stale', reason: expect.stringMatching(/^latest figures held for review: amount went down/) });
  });
});

describe('guard inside ingest: properties over random histories', () => {
  type Step = { minutes: number; kind: 'rise' | 'glitch-up' | 'glitch-down' | 'refund' | 'repeat'; size: number };
  const step = fc.record({
    minutes: fc.integer({ min: 1, max: 5 }),
    kind: fc.constantFrom('rise', 'rise', 'rise', 'rise', 'glitch-up', 'glitch-down', 'refund', 'repeat'),
    size: fc.integer({ min: 0, max: 50_000 }),
  }) as fc.Arbitrary<Step>;

  /** A pot's true history, with the glitches a garbled source adds and a few real refunds. */
  function deliveries(steps: Step[]): Reading[] {
    let truth = { amountMinor: 1_000_000, contributors: 100 };
    let time = T0;
    const out: Reading[] = [];
    for (const { minutes, kind, size } of steps) {
      time += minutes * MINUTE;
      if (kind === 'rise') truth = { amountMinor: truth.amountMinor + size, contributors: truth.contributors + (size % 7) };
      if (kind === 'refund') truth = { ...truth, amountMinor: Math.max(0, truth.amountMinor - size * 10) };
      const shown =
        kind === 'glitch-up'
          ? { ...truth, amountMinor: truth.amountMinor * 100 }
          : kind === 'glitch-down'
            ? { ...truth, contributors: Math.floor(truth.contributors / 100) }
            : truth;
      out.push({ at: time, ...shown });
      if (kind === 'repeat') out.push({ at: time, ...shown });
    }
    return out;
  }

  it('lets the whole January 2019 replay through untouched, backlog catch-up included', () => {
    const temp = makeTempDir();
    const db = openDatabase(path.join(temp.dir, 'potwatch.db'));
    try {
      new PotsRepository(db).syncFilePots([DEMO_POT]);
      const ingest = new Ingest(db, new ReadingsRepository(db), [DEMO_POT]);
      const { steps } = police2019Scenario();
      let quarantined = 0;
      for (let i = 0; i < steps.length; i += 10) {
        quarantined += ingest.submit(DEMO_POT.id, { readings: steps.slice(i, i + 10).map((s) => s.reading) }).quarantined;
      }
      expect(quarantined).toBe(0);
    } finally {
      db.close();
      temp.remove();
    }
  });

  it('stores every delivery once, in the series or in quarantine, and a decrease only where one was confirmed', () => {
    const temp = makeTempDir();
    const db = openDatabase(path.join(temp.dir, 'potwatch.db'));
    const readings = new ReadingsRepository(db);
    const quarantine = new QuarantineRepository(db);
    let run = 0;
    let runsWithConfirmedChange = 0;
    try {
      fc.assert(
        fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 8 }), (steps, batchSize) => {
          const pot = webhookPot(`run-${run++}`);
          new PotsRepository(db).syncFilePots([pot]);
          const ingest = new Ingest(db, readings, [pot]);
          const delivered = deliveries(steps);
          for (let i = 0; i < delivered.length; i += batchSize) {
            ingest.submit(pot.id, { readings: delivered.slice(i, i + batchSize), origin: 'test' });
          }
          const stored = readings.range(pot.id, 0, Number.MAX_SAFE_INTEGER, 10_000);
          const quarantined = quarantine.list(pot.id, { limit: 1000 });
          const instants = new Set(delivered.map((reading) => reading.at));
          expect(stored.length + quarantined.filter((row) => row.status !== 'released').length).toBe(instants.size);

          const releasedAt = new Set(quarantined.filter((row) => row.status === 'released').map((row) => row.at));
          if (releasedAt.size > 0) runsWithConfirmedChange++;
          for (let i = 1; i < stored.length; i++) {
            const [previous, current] = [stored[i - 1]!, stored[i]!];
            const decreased = current.amountMinor < previous.amountMinor || current.contributors < previous.contributors;
            if (decreased) expect(releasedAt.has(current.at)).toBe(true);
          }
          const tail = stored.at(-1);
          for (const row of quarantined.filter((row) => row.status === 'held')) expect(row.at).toBeGreaterThan(tail?.at ?? -1);
        }),
        { numRuns: 150 },
      );
      expect(runsWithConfirmedChange).toBeGreaterThan(10);
    } finally {
      db.close();
      temp.remove();
    }
  });
});
