/**
 * The few distributions detection needs, as base-10 logarithms of tail probabilities so
 * that very unlikely events (1e-40) stay comparable instead of rounding to zero.
 */

const LANCZOS = [
  676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let sum = 0.99999999999980993;
  for (let i = 0; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i + 1);
  const t = z + LANCZOS.length - 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

const EPSILON = 1e-15;
const MAX_TERMS = 10_000;

/** ln P(a, x), the natural log of the regularized lower incomplete gamma function. */
function logLowerGamma(a: number, x: number): number {
  if (x <= 0) return -Infinity;
  const logPrefix = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < MAX_TERMS; n++) {
      term *= x / (a + n);
      sum += term;
      if (term < sum * EPSILON) break;
    }
    return logPrefix + Math.log(sum);
  }
  return Math.log1p(-Math.exp(logUpperGammaContinuedFraction(a, x, logPrefix)));
}

/** ln Q(a, x) by Lentz's continued fraction; accurate when x > a + 1. */
function logUpperGammaContinuedFraction(a: number, x: number, logPrefix: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_TERMS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return logPrefix + Math.log(h);
}

/** log10 P(X ≤ x) for X ~ chi-square with `dof` degrees of freedom: how unlikely a statistic this small is. */
export function log10ChiSquareLowerTail(x: number, dof: number): number {
  return logLowerGamma(dof / 2, x / 2) / Math.LN10;
}

/**
 * log10 P(X ≥ count) for a count whose mean is `mean` and whose variance is `dispersion`
 * times its mean (quasi-Poisson: honest crowds vary more than pure chance).
 */
export function log10CountUpperTail(count: number, mean: number, dispersion = 1): number {
  const phi = Math.max(1, dispersion);
  const k = count / phi;
  if (k <= 0) return 0;
  if (mean <= 0) return -Infinity;
  return logLowerGamma(k, mean / phi) / Math.LN10;
}

/** log10 P(X ≤ count) for the same quasi-Poisson count: how unlikely it is that so little happened. */
export function log10CountLowerTail(count: number, mean: number, dispersion = 1): number {
  const phi = Math.max(1, dispersion);
  const a = Math.max(0, count) / phi + 1;
  const x = mean / phi;
  if (x <= 0) return 0;
  if (x < a + 1) return Math.log1p(-Math.exp(logLowerGamma(a, x))) / Math.LN10;
  return logUpperGammaContinuedFraction(a, x, -x + a * Math.log(x) - logGamma(a)) / Math.LN10;
}

/**
 * The dispersion to give the count functions above for a stretch whose mean is `mean`, when
 * counts vary as `dispersion`·μ beyond chance plus a drift of `drift`·μ in standard deviation.
 */
export const withDrift = (dispersion: number, drift: number, mean: number): number => Math.max(1, dispersion) + drift * drift * Math.max(0, mean);

/** log10 P(X = 0) for the same quasi-Poisson count: how unlikely it is that nothing happened. */
export function log10CountZero(mean: number, dispersion = 1): number {
  return -mean / Math.max(1, dispersion) / Math.LN10;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * What each unit would hold if the rate changed in a straight line over the window
 * (exposure-weighted least squares): an honest evening winding down is a trend, not noise,
 * and a metronome has no trend to hide behind. Costs two degrees of freedom.
 */
export function linearTrend(values: readonly number[], exposures: readonly number[], positions: readonly number[]): number[] {
  let weight = 0;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < values.length; i++) {
    weight += exposures[i]!;
    meanX += exposures[i]! * positions[i]!;
    meanY += values[i]!;
  }
  meanX /= weight;
  meanY /= weight;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < values.length; i++) {
    const dx = positions[i]! - meanX;
    sxx += exposures[i]! * dx * dx;
    sxy += dx * (values[i]! - meanY * exposures[i]!);
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const floor = meanY * 1e-3;
  return values.map((_, i) => exposures[i]! * Math.max(floor, meanY + slope * (positions[i]! - meanX)));
}

/**
 * Pearson's dispersion statistic for counts observed over unequal exposures, around a
 * straight-line trend of the rate: for independent donors it follows chi-square with
 * (units - 2) degrees of freedom; honest crowds make it larger, a metronome near zero.
 */
export function pearsonAroundTrend(counts: readonly number[], exposures: readonly number[]): { statistic: number; dof: number } {
  const kept = counts.map((_, i) => i).filter((i) => exposures[i]! > 0);
  const total = kept.reduce((sum, i) => sum + counts[i]!, 0);
  if (kept.length < 3 || total <= 0) return { statistic: Number.NaN, dof: 0 };
  const keptCounts = kept.map((i) => counts[i]!);
  const expected = linearTrend(keptCounts, kept.map((i) => exposures[i]!), kept);
  let statistic = 0;
  for (let j = 0; j < kept.length; j++) statistic += (keptCounts[j]! - expected[j]!) ** 2 / expected[j]!;
  return { statistic, dof: kept.length - 2 };
}

/** log10 P(Z ≤ z) for a standard normal Z (Chebyshev fit of erfc, relative error below 1.2e-7). */
export function log10NormalLowerTail(z: number): number {
  if (z > 0) return Math.log10(1 - 10 ** log10NormalLowerTail(-z));
  const x = -z / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const polynomial =
    -1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 +
      t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return (Math.log(t) - x * x + polynomial - Math.LN2) / Math.LN10;
}
