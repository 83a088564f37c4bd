import { describe, expect, it } from 'vitest';
import { evaluateDetection } from '../../bench/eval-detection.js';
import { syntheticPot } from '../fixtures/synthetic/synthetic-pots.js';

/**
 * A smoke subset of `npm run eval` on seeds used neither for tuning (1…) nor for the
 * reported evaluation (1,000,000…): two pots of each label.
 */
const FIRST_SEED = 500_004;

describe('detection on labelled synthetic pots (smoke subset; the full figures come from npm run eval)', () => {
  it('is deterministic: a seed always gives the same pot', () => {
    const a = syntheticPot(42);
    const b = syntheticPot(42);
    expect(a.readings.length).toBe(b.readings.length);
    expect(a.readings.at(-1)).toEqual(b.readings.at(-1));
    expect(a.events).toEqual(b.events);
  });

  it('finds most injected patterns and leaves honest pots alone', () => {
    const report = evaluateDetection({ firstSeed: FIRST_SEED, pots: 24 });
    expect(report.honestPots).toBe(12);
    expect(report.quietHonestPots).toBeGreaterThanOrEqual(11);
    expect(report.overall.recall).toBeGreaterThanOrEqual(0.75);
    expect(report.overall.precision).toBeGreaterThanOrEqual(0.85);
  });
});
