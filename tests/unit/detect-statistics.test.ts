import { describe, expect, it } from 'vitest';
import {
  log10ChiSquareLowerTail,
  log10CountUpperTail,
  log10CountZero,
  log10NormalLowerTail,
  median,
  pearsonAroundTrend,
} from '../../server/detect/statistics.js';

describe('detection statistics', () => {
  it('gives chi-square tails that match closed forms and tables', () => {
    // Two degrees of freedom: P(X ≤ x) = 1 − exp(−x / 2).
    expect(log10ChiSquareLowerTail(0.02, 2)).toBeCloseTo(Math.log10(1 - Math.exp(-0.01)), 9);
    expect(log10ChiSquareLowerTail(6, 2)).toBeCloseTo(Math.log10(1 - Math.exp(-3)), 9);
    // The 5% and 95% points of chi-square with 10 degrees of freedom: 3.940 and 18.307.
    expect(10 ** log10ChiSquareLowerTail(3.94, 10)).toBeCloseTo(0.05, 3);
    expect(10 ** log10ChiSquareLowerTail(18.307, 10)).toBeCloseTo(0.95, 3);
    // Far in the tail, where a plain probability would round to zero.
    expect(log10ChiSquareLowerTail(0.1, 40)).toBeLessThan(-40);
    expect(Number.isFinite(log10ChiSquareLowerTail(0.1, 40))).toBe(true);
  });

  it('gives Poisson tails, scaled for counts that vary more than chance', () => {
    expect(10 ** log10CountUpperTail(1, 2)).toBeCloseTo(1 - Math.exp(-2), 9);
    expect(10 ** log10CountUpperTail(3, 1)).toBeCloseTo(1 - Math.exp(-1) * 2.5, 9);
    expect(log10CountUpperTail(0, 5)).toBe(0);
    expect(log10CountUpperTail(30, 10, 3)).toBeGreaterThan(log10CountUpperTail(30, 10));
    expect(log10CountZero(23.026)).toBeCloseTo(-10, 2);
    expect(log10CountZero(23.026, 2)).toBeCloseTo(-5, 2);
  });

  it('gives normal tails down to astronomically small probabilities', () => {
    expect(10 ** log10NormalLowerTail(-1.959964)).toBeCloseTo(0.025, 5);
    expect(log10NormalLowerTail(-10)).toBeCloseTo(Math.log10(7.6199e-24), 3);
    expect(10 ** log10NormalLowerTail(1.959964)).toBeCloseTo(0.975, 5);
  });

  it('measures dispersion around a trend: none for counts exactly proportional to a linear rate', () => {
    const exposures = [60, 120, 60, 90, 60, 60];
    const straight = exposures.map((exposure, i) => exposure * (2 + i * 0.5));
    expect(pearsonAroundTrend(straight, exposures).statistic).toBeCloseTo(0, 9);
    expect(pearsonAroundTrend([10, 0, 10, 0, 10, 0], [1, 1, 1, 1, 1, 1]).statistic).toBeGreaterThan(20);
    expect(median([5, 1, 3, 2])).toBe(2.5);
  });
});
