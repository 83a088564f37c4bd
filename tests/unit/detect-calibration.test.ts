import { describe, expect, it } from 'vitest';
import { Calibration, learnKindCalibration, type CalibrationTable } from '../../server/detect/calibration.js';
import { emptyMaxima, observeHonestDays } from '../../bench/eval-calibration.js';
import { SUGGESTION_KINDS } from '../../shared/suggestions.js';
import { DAY, HOUR } from '../../shared/time.js';
import { familyPot } from '../fixtures/synthetic/families.js';

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
    // 50 days reach 50 or more: (999 + 1) / (50 + 1) honest pot-days per occurrence.
    const at50 = calibration.rarity('night-surge', 50);
    expect(at50.score).toBeCloseTo(Math.log10(1000 / 51), 2);
    expect(at50.extrapolated).toBe(false);
    expect(calibration.rarity('too-regular', 50).score).toBe(at50.score);
  });

  it('follows a power law fitted to the strongest honest days in its tail, close to their count', () => {
    // 10 days reach 90 or more.
    const at90 = calibration.rarity('night-surge', 90);
    expect(Math.abs(at90.score - Math.log10(1000 / 11))).toBeLessThan(0.25);
    expect(at90.extrapolated).toBe(false);
  });

  it('reads the rarity at the alarm threshold more closely than the strongest honest days one by one', () => {
    // Forty samples of 5,000 honest pot-days, one day in ten with an interval whose strength
    // follows a power law: the true score at a strength is known exactly.
    const share = 0.1;
    const alpha = 8;
    const floor = 1.5;
    let state = 1;
    const random = () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
    const strengthAt = (score: number) => floor * (share * 10 ** score) ** (1 / alpha);
    let error = 0;
    for (let sample = 0; sample < 40; sample++) {
      state = sample * 7919 + 1;
      const days = Array.from({ length: 5000 }, () => (random() < share ? floor * (1 - random()) ** (-1 / alpha) : -Infinity));
      error += Math.abs(new Calibration(tableOf(days, 5000)).rarity('night-surge', strengthAt(3.5)).score - 3.5);
    }
    // Interpolating between the strongest days as counted errs by 0.33 on average here.
    expect(error / 40).toBeLessThan(0.22);
  });

  it('grows with the strength and never saturates past the data', () => {
    const scores = [10, 50, 99, 120, 500, 5000].map((strength) => calibration.rarity('sudden-jump', strength).score);
    for (let i = 1; i < scores.length; i++) expect(scores[i]!).toBeGreaterThan(scores[i - 1]!);
    expect(calibration.rarity('sudden-jump', 99).extrapolated).toBe(false);
    const far = calibration.rarity('sudden-jump', 5000);
    expect(far.extrapolated).toBe(true);
    expect(far.score).toBeLessThan(30);
  });

  it('extends a kind never seen on honest pots from the number of pot-days it was watched', () => {
    const unseen = new Calibration(tableOf([], 1227));
    expect(unseen.rarity('duplicate-names', 1.3).score).toBeCloseTo(Math.log10(1228), 2);
    expect(unseen.rarity('duplicate-names', 13).score).toBeCloseTo(Math.log10(1228) + 3, 2);
  });
});

describe('learning the calibration', () => {
  it('hears an injected pot only on the whole days it lived before its pattern, an hour of margin kept', () => {
    const pot = familyPot(700_000, 'night-surge');
    const first = pot.readings[0]!.at;
    const surge = pot.events[0]!;
    const honestDays = Math.floor((surge.from - HOUR - first) / DAY);
    expect(honestDays).toBeGreaterThan(0);
    const learned = emptyMaxima();
    observeHonestDays(pot, learned);
    expect(learned.potDays['night-surge']).toBe(honestDays);
    expect(learned.maxima['night-surge']).toHaveLength(honestDays);

    // The same pot taken as honest throughout: every day counts, the surge's among them, and
    // the surge is stronger than anything its honest days showed.
    const whole = emptyMaxima();
    observeHonestDays({ ...pot, honest: true, events: [] }, whole);
    expect(whole.maxima['night-surge']).toHaveLength(Math.ceil(pot.days));
    expect(whole.potDays['night-surge']).toBeCloseTo(pot.days, 6);
    expect(Math.max(...whole.maxima['night-surge'])).toBeGreaterThan(Math.max(...learned.maxima['night-surge']) + 1);
  });
});
