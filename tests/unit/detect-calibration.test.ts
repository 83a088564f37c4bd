import { describe, expect, it } from 'vitest';
import { Calibration, learnKindCalibration, type CalibrationTable } from '../../server/detect/calibration.js';
import { SUGGESTION_KINDS } from '../../shared/suggestions.js';

/** A table where every kind has the same learned calibration. */
const tableOf = (dailyMaxima: number[], potDays: number): CalibrationTable => {
  const kind = learnKindCalibration(dailyMaxima, potDays);
  return { learnedOn: 'test', kinds: Object.fromEntries(SUGGESTION_KINDS.map((k) => [k, kind])) as CalibrationTable['kinds'] };
};

describe('the calibrated score', () => {
  // 999 honest pot-days: one day's strongest interval at each strength 1..99, the rest quiet.
  const maxima = [...Array.from({ length: 99 }, (_, i) => i + 1), ...new Array<number>(900).fill(-Infinity)];
  const calibration = new Calibration(tableOf(maxima, 999));

  it('is log10 of honest pot-days per day reaching that strength, the same scale for every kind', () => {
    // 10 days reach 90 or more: (999 + 1) / (10 + 1) honest pot-days per occurrence.
    const at90 = calibration.rarity('night-surge', 90);
    expect(at90.score).toBeCloseTo(Math.log10(1000 / 11), 2);
    expect(at90.extrapolated).toBe(false);
    expect(calibration.rarity('too-regular', 90).score).toBe(at90.score);
  });

  it('grows with the strength and never saturates past the data', () => {
    const scores = [10, 50, 99, 120, 500, 5000].map((strength) => calibration.rarity('sudden-jump', strength).score);
    for (let i = 1; i < scores.length; i++) expect(scores[i]!).toBeGreaterThan(scores[i - 1]!);
    const far = calibration.rarity('sudden-jump', 5000);
    expect(far.extrapolated).toBe(true);
    expect(far.score).toBeLessThan(30);
  });

  it('claims no more than its pot-days allow at the strongest honest interval', () => {
    expect(calibration.rarity('freeze-catch-up', 99).score).toBeCloseTo(Math.log10(1000 / 2), 2);
  });

  it('extends a kind never seen on honest pots from the number of pot-days it was watched', () => {
    const unseen = new Calibration(tableOf([], 1227));
    expect(unseen.rarity('duplicate-names', 1.3).score).toBeCloseTo(Math.log10(1228), 2);
    expect(unseen.rarity('duplicate-names', 13).score).toBeCloseTo(Math.log10(1228) + 3, 2);
  });
});
