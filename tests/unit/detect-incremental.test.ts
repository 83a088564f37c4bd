import { describe, expect, it } from 'vitest';
import { detectHistory } from '../../server/detect/detect-history.js';
import { PotDetector } from '../../server/detect/pot-detector.js';
import { police2019Scenario } from '../../server/sources/scenarios/police-2019.js';
import type { DetectedInterval } from '../../shared/suggestions.js';
import type { Reading } from '../../shared/types.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Collects the final state of every finding, as the server's store would hold it. */
function feed(detector: PotDetector, batches: Reading[][]): DetectedInterval[] {
  const byId = new Map<number, DetectedInterval>();
  const keep = (findings: ReturnType<PotDetector['push']>) => {
    for (const { id, withdrawn, ...interval } of findings) {
      if (withdrawn) byId.delete(id);
      else byId.set(id, interval);
    }
  };
  for (const batch of batches) keep(detector.push(batch));
  keep(detector.flush());
  return [...byId.values()].sort((a, b) => a.from - b.from || a.kind.localeCompare(b.kind));
}

/** An honest pot: a daily rhythm in Paris time and independent donors, read every minute. */
function honestPot(days: number, seed = 1): Reading[] {
  let state = seed;
  const random = () => ((state = (state * 48271) % 2147483647) / 2147483647);
  const readings: Reading[] = [];
  let contributors = 0;
  let amount = 0;
  const start = Date.UTC(2024, 2, 4);
  for (let at = start; at < start + days * DAY; at += 60_000) {
    const hour = (new Date(at).getUTCHours() + 1) % 24;
    const rate = 3 * (0.15 + Math.max(0, Math.sin(((hour - 6) / 24) * 2 * Math.PI)));
    let arrivals = 0;
    for (let t = random(); t < rate; t += -Math.log(1 - random()) * 1) arrivals++;
    contributors += arrivals;
    for (let i = 0; i < arrivals; i++) amount += 500 * (1 + Math.floor(random() * 10));
    readings.push({ at, amountMinor: amount, contributors });
  }
  return readings;
}

describe('incremental detection', () => {
  const replay = police2019Scenario().steps.map((step) => step.reading);

  it('finds the same intervals whether readings come one by one, in odd batches or all at once', () => {
    const whole = detectHistory(replay);
    expect(whole.length).toBeGreaterThan(0);
    expect(feed(new PotDetector(), replay.map((reading) => [reading]))).toEqual(whole);
    const batches: Reading[][] = [];
    for (let i = 0; i < replay.length; i += 1 + (i % 97)) batches.push(replay.slice(i, i + 1 + (i % 97)));
    expect(feed(new PotDetector(), batches)).toEqual(whole);
  });

  it('costs the same per reading after two days of history as after twelve, suspicious or not', () => {
    /** Elementary steps per reading over the last day of a history. */
    const marginalCost = (readings: Reading[]) => {
      const detector = new PotDetector();
      const lastDay = readings.length - 1440;
      detector.push(readings.slice(0, lastDay));
      const before = detector.operations;
      detector.push(readings.slice(lastDay));
      return (detector.operations - before) / 1440;
    };
    const metronome = (days: number) =>
      Array.from({ length: days * 1440 }, (_, i) => ({ at: Date.UTC(2024, 2, 4) + i * 60_000, amountMinor: 2500 * 7 * i, contributors: 7 * i }));
    for (const pot of [honestPot, metronome]) {
      const short = marginalCost(pot(2));
      const long = marginalCost(pot(12));
      expect(long).toBeLessThan(short * 1.1);
      expect(long).toBeLessThan(200);
    }
    expect(detectHistory(metronome(2)).map((s) => s.kind)).toEqual(['too-regular']);
  });

  it('does not depend on the time zone: a history shifted by whole hours gives the same findings, shifted', () => {
    const shift = 7 * HOUR;
    const shifted = detectHistory(replay.map((reading) => ({ ...reading, at: reading.at + shift })));
    const expected = detectHistory(replay).map((s) => [s.kind, s.from + shift, s.to + shift, s.score]);
    expect(shifted.map((s) => [s.kind, s.from, s.to, s.score])).toEqual(expected);
  });

  it('does not call missing readings a freeze', () => {
    const readings = honestPot(4, 3);
    expect(detectHistory(readings)).toEqual([]);
    const withGaps = readings.filter((r) => !(r.at % DAY > 10 * HOUR && r.at % DAY < 13 * HOUR));
    expect(detectHistory(withGaps)).toEqual([]);
  });

  it('ignores readings that go back in time or repeat an instant', () => {
    const readings = honestPot(3, 5);
    const messy = [...readings.slice(0, 2000), readings[1500]!, readings[1999]!, ...readings.slice(2000)];
    expect(feed(new PotDetector(), messy.map((r) => [r]))).toEqual(detectHistory(readings));
  });
});
