import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MilestoneNotice } from '../../shared/alerts.js';
import { potConfigSchema } from '../../shared/pot-config.js';
import type { Reading } from '../../shared/types.js';
import { AlertNotices } from '../../server/alerts/alert-notices.js';
import { alertTargetKey, AlertTriggers } from '../../server/alerts/alert-triggers.js';
import { AlertsRepository } from '../../server/db/alerts-repository.js';
import { closeDatabase, openDatabase } from '../../server/db/database.js';
import { OutboxRepository } from '../../server/db/outbox-repository.js';
import { PotsRepository } from '../../server/db/pots-repository.js';
import { ReadingsRepository } from '../../server/db/readings-repository.js';
import { Ingest } from '../../server/ingest/ingest.js';
import { Outbox } from '../../server/outbox/outbox.js';
import { propertyRuns } from '../helpers/soak.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const START = Date.UTC(2019, 0, 8, 12);

/** What happens to a pot: new readings, a delivery sent again, or a replay that clears the history and starts over from zero. */
type Step =
  | { kind: 'batch'; gains: Array<{ afterMs: number; gainMinor: number }> }
  | { kind: 'resend'; count: number }
  | { kind: 'restart'; chunk: number };

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('batch' as const),
      gains: fc.array(
        fc.record({
          afterMs: fc.integer({ min: 1, max: 3_600_000 }),
          // Mostly small steps, sometimes a jump over several milestones at once.
          gainMinor: fc.oneof(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 0, max: 500_000 })),
        }),
        { minLength: 1, maxLength: 6 },
      ),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('resend' as const), count: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restart' as const), chunk: fc.integer({ min: 1, max: 7 }) }) },
);

describe('milestones (property)', () => {
  it('for any sequence of readings, each milestone the stored amount passes fires exactly once, replays and restarts included', () => {
    const temp = makeTempDir();
    let run = 0;
    try {
      fc.assert(
        fc.property(
          fc.integer({ min: 20, max: 5000 }),
          fc.option(fc.integer({ min: 1, max: 50_000 }), { nil: undefined }),
          fc.array(stepArbitrary, { minLength: 1, maxLength: 12 }),
          (everyMajor, goalMajor, steps) => {
            const db = openDatabase(path.join(temp.dir, `run-${run++}.db`));
            try {
              const pot = potConfigSchema.parse({
                id: 'pot',
                title: 'Pot',
                currency: 'EUR',
                ...(goalMajor !== undefined ? { goal: goalMajor } : {}),
                source: { kind: 'webhook', secret: 'a-webhook-secret-0123456789' },
                // A generous guard: what is checked here is what the stored amount passed, whatever the guard holds.
                guard: { jumpFactor: 1000, headroomAmount: 1e10 },
              });
              new PotsRepository(db).syncFilePots([pot]);
              const readings = new ReadingsRepository(db);
              const ingest = new Ingest(db, readings, [pot]);
              const alerts = new AlertsRepository(db);
              const deliveries = new OutboxRepository(db);
              const triggers = new AlertTriggers({
                db,
                alerts,
                outbox: new Outbox(deliveries),
                notices: new AlertNotices(() => 'https://potwatch.test'),
                pot: () => pot,
                latest: () => readings.latest('pot'),
                now: Date.now,
              });
              ingest.onStoring((potId, before, inserted) => triggers.readingsStored(potId, before, inserted));
              const alert = alerts.insert({
                kind: 'webhook',
                target: 'https://hooks.example/x',
                secret: 'a-secret-0123456789',
                events: ['milestone'],
                pots: null,
                milestoneEvery: everyMajor,
                createdBy: 'root',
                createdAt: START,
              });

              let highest = 0;
              ingest.onCommitted((_potId, inserted) => {
                for (const reading of inserted) highest = Math.max(highest, reading.amountMinor);
              });
              const history: Reading[] = [];
              for (const step of steps) {
                if (step.kind === 'batch') {
                  const last = history[history.length - 1] ?? { at: START, amountMinor: 0, contributors: 0 };
                  const batch: Reading[] = [];
                  let previous = last;
                  for (const { afterMs, gainMinor } of step.gains) {
                    previous = { at: previous.at + afterMs, amountMinor: previous.amountMinor + gainMinor, contributors: previous.contributors + 1 };
                    batch.push(previous);
                  }
                  history.push(...batch);
                  ingest.submit('pot', { readings: batch });
                } else if (step.kind === 'resend') {
                  if (history.length > 0) ingest.submit('pot', { readings: history.slice(-step.count) });
                } else {
                  ingest.clear('pot');
                  for (let index = 0; index < history.length; index += step.chunk) {
                    ingest.submit('pot', { readings: history.slice(index, index + step.chunk) });
                  }
                }
              }

              const fired = deliveries
                .ofTarget(alertTargetKey(alert.id), 100_000)
                .map((message) => message.payload as MilestoneNotice)
                .map((notice) => ({ minor: Math.round(notice.milestone * 100), reached: notice.reached }));
              const expected = new Map<number, 'step' | 'goal'>();
              for (let threshold = everyMajor * 100; threshold <= highest; threshold += everyMajor * 100) expected.set(threshold, 'step');
              if (pot.goalMinor !== undefined && pot.goalMinor <= highest) expected.set(pot.goalMinor, 'goal');
              expect(fired.map((entry) => entry.minor).sort((a, b) => a - b)).toEqual([...expected.keys()].sort((a, b) => a - b));
              for (const entry of fired) expect(entry.reached).toBe(expected.get(entry.minor));
            } finally {
              closeDatabase(db);
            }
          },
        ),
        { numRuns: propertyRuns(100) },
      );
    } finally {
      temp.remove();
    }
  });
});
