import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContributionsRepository } from '../../server/db/contributions-repository.js';
import { openDatabase, type Database } from '../../server/db/database.js';
import { PotsRepository } from '../../server/db/pots-repository.js';
import { ReadingsRepository } from '../../server/db/readings-repository.js';
import { SuggestionsRepository } from '../../server/db/suggestions-repository.js';
import { DetectionRunner } from '../../server/detect/detection-runner.js';
import { Ingest } from '../../server/ingest/ingest.js';
import { police2019Scenario } from '../../server/sources/scenarios/police-2019.js';
import type { SuggestionEvent } from '../../shared/events.js';
import type { DetectedInterval } from '../../shared/suggestions.js';
import { webhookPot } from '../helpers/server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NIGHT = Date.UTC(2019, 0, 9, 23);

const detected = (overrides: Partial<DetectedInterval> = {}): DetectedInterval => ({
  from: NIGHT,
  to: NIGHT + 2 * HOUR,
  kind: 'too-regular',
  score: 12.5,
  evidence: { summary: '+1,340 contributors/h', contributorsPerHour: 1340 },
  ...overrides,
});

describe('stored suggestions (SQLite)', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let db: Database;
  let suggestions: SuggestionsRepository;

  beforeEach(() => {
    temp = makeTempDir();
    db = openDatabase(path.join(temp.dir, 'potwatch.db'));
    new PotsRepository(db).syncFilePots([webhookPot('alpha')]);
    suggestions = new SuggestionsRepository(db);
  });

  afterEach(() => {
    db.close();
    temp.remove();
  });

  it('updates an overlapping re-detection instead of adding a second suggestion', () => {
    const first = suggestions.record('alpha', detected());
    expect(first).toMatchObject({ change: 'created', suggestion: { status: 'pending', kind: 'too-regular', from: NIGHT } });
    expect(suggestions.record('alpha', detected({ to: NIGHT + HOUR }))).toEqual({ change: 'none' });
    const grown = suggestions.record('alpha', detected({ to: NIGHT + 6 * HOUR, score: 40, evidence: { summary: 'longer' } }));
    expect(grown).toMatchObject({ change: 'updated', suggestion: { from: NIGHT, to: NIGHT + 6 * HOUR, score: 40 } });
    expect(suggestions.ofPot('alpha')).toHaveLength(1);
    expect(suggestions.ofPot('alpha')[0]!.evidence).toEqual({ summary: 'longer' });
  });

  it('keeps different patterns of the same stretch apart', () => {
    suggestions.record('alpha', detected());
    suggestions.record('alpha', detected({ kind: 'duplicate-names' }));
    expect(suggestions.ofPot('alpha').map((s) => s.kind).sort()).toEqual(['duplicate-names', 'too-regular']);
  });

  it('remembers a dismissal and never raises the same interval and kind again', () => {
    const { suggestion } = suggestions.record('alpha', detected()) as { suggestion: { id: number } };
    expect(suggestions.decide(suggestion.id, 'dismissed', 'alice')).toBe(true);
    expect(suggestions.decide(suggestion.id, 'confirmed', 'bob')).toBe(false);
    expect(suggestions.record('alpha', detected({ from: NIGHT - HOUR, to: NIGHT + 8 * HOUR }))).toEqual({ change: 'none' });
    expect(suggestions.ofPot('alpha')).toEqual([]);
    expect(suggestions.ofPot('alpha', 'all')).toMatchObject([{ status: 'dismissed', decidedBy: 'alice' }]);
    expect(suggestions.record('alpha', detected({ from: NIGHT + DAY, to: NIGHT + DAY + HOUR }))).toMatchObject({ change: 'created' });
  });

  it('withdraws only pending suggestions', () => {
    const a = suggestions.record('alpha', detected({ kind: 'night-surge' })) as { suggestion: { id: number } };
    suggestions.record('alpha', detected({ kind: 'night-surge', from: NIGHT + DAY, to: NIGHT + DAY + HOUR }));
    suggestions.decide(a.suggestion.id, 'confirmed', 'alice', null);
    expect(suggestions.withdraw('alpha', 'night-surge', NIGHT - HOUR, NIGHT + 2 * DAY)).toHaveLength(1);
    expect(suggestions.ofPot('alpha', 'all').map((s) => s.status)).toEqual(['confirmed']);
  });
});

describe('the detection runner on committed readings', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let db: Database;

  beforeEach(() => {
    temp = makeTempDir();
    db = openDatabase(path.join(temp.dir, 'potwatch.db'));
  });

  afterEach(() => {
    db.close();
    temp.remove();
  });

  function wire() {
    const pot = { ...webhookPot('police'), source: { kind: 'replay', scenario: 'police-2019', speed: 600, loop: true } } as const;
    new PotsRepository(db).syncFilePots([pot]);
    const readings = new ReadingsRepository(db);
    const ingest = new Ingest(db, readings, [pot]);
    const repository = new SuggestionsRepository(db);
    const events: SuggestionEvent[] = [];
    const runner = new DetectionRunner({
      readings,
      contributions: new ContributionsRepository(db),
      suggestions: repository,
      pots: [pot],
      logger: pino({ level: 'silent' }),
      onChange: (event) => events.push(event),
    });
    ingest.onCommitted((potId) => runner.follow(potId));
    ingest.onCleared((potId) => runner.reset(potId));
    runner.start();
    return { ingest, repository, runner, events };
  }

  const steps = police2019Scenario().steps;
  const replay = (ingest: Ingest, every = 10) => {
    for (let i = 0; i < steps.length; i += every) {
      const batch = steps.slice(i, i + every);
      ingest.submit('police', { readings: batch.map((s) => s.reading), contributions: batch.flatMap((s) => s.contributions) });
    }
  };

  it('raises the replay pot suggestions as its readings are committed, and tells who listens', () => {
    const { ingest, repository, events } = wire();
    replay(ingest);
    expect(repository.ofPot('police').map((s) => s.kind).sort()).toEqual(['duplicate-names', 'freeze-catch-up', 'too-regular']);
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(events.every((event) => event.potId === 'police')).toBe(true);
  });

  it('does not duplicate suggestions when the replay starts over, and keeps a dismissal', () => {
    const { ingest, repository } = wire();
    replay(ingest);
    const night = repository.ofPot('police').find((s) => s.kind === 'too-regular')!;
    repository.decide(night.id, 'dismissed', 'alice');
    ingest.clear('police');
    replay(ingest, 37);
    const all = repository.ofPot('police', 'all');
    expect(all.map((s) => `${s.kind}:${s.status}`).sort()).toEqual([
      'duplicate-names:pending',
      'freeze-catch-up:pending',
      'too-regular:dismissed',
    ]);
  });

  it('relearns from stored history when the server starts again', () => {
    const first = wire();
    replay(first.ingest);
    const before = first.repository.ofPot('police', 'all');
    const again = wire();
    expect(again.repository.ofPot('police', 'all')).toEqual(before);
    expect(again.events).toEqual([]);
  });
});
