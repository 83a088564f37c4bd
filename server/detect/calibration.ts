import type { SuggestionKind } from '../../shared/suggestions.js';
import { CANDIDATE_STRENGTH } from './thresholds.js';

/**
 * Turns a detector's strength of evidence into one score shared by every kind: log10 of
 * how many honest pot-days it takes, on average, to see an interval at least this strong.
 * 3 means "about 1 in 1,000 honest pot-days shows this". Each kind has its own table,
 * learned on honest synthetic pots of the evaluation's tuning set (`npm run eval --
 * --calibrate` writes calibration-table.ts); beyond the strongest honest interval seen, the tail is extended along the
 * slope of the strongest ones, and the score says so.
 */

export interface KindCalibration {
  /** Honest pot-days this kind was observed on. */
  potDays: number;
  /** Strengths (ascending) and the score measured at each (non-decreasing). */
  strengths: number[];
  scores: number[];
  /** Score gained per unit of strength past the last measured one. */
  tailSlope: number;
}

export interface CalibrationTable {
  /** Where the table was learned, for the record. */
  learnedOn: string;
  kinds: Record<SuggestionKind, KindCalibration>;
}

export interface Rarity {
  /** log10 of honest pot-days per occurrence. */
  score: number;
  /** Beyond anything seen on the honest pots it was learned on: the figure is extrapolated. */
  extrapolated: boolean;
  /** Honest pot-days the calibration saw for this kind. */
  potDays: number;
}

/** Past the data, a unit of strength is one order of magnitude unless the honest tail says otherwise. */
const DEFAULT_TAIL_SLOPE = 1;
const MIN_TAIL_SLOPE = 0.2;
/** The strongest honest intervals whose spread sets the tail's slope. */
const TAIL_POINTS = 20;
const MIN_TAIL_POINTS = 5;
const MAX_KNOTS = 60;

export class Calibration {
  constructor(private readonly table: CalibrationTable) {}

  rarity(kind: SuggestionKind, strength: number): Rarity {
    const { strengths, scores, tailSlope, potDays } = this.table.kinds[kind];
    const last = strengths.length - 1;
    if (last < 0 || strength > strengths[last]!) {
      const from = last < 0 ? CANDIDATE_STRENGTH : strengths[last]!;
      const base = last < 0 ? Math.log10(potDays + 1) : scores[last]!;
      return { score: base + tailSlope * Math.max(0, strength - from), extrapolated: true, potDays };
    }
    let i = 0;
    while (strengths[i + 1] !== undefined && strengths[i + 1]! <= strength) i++;
    if (strength <= strengths[0]!) return { score: scores[0]!, extrapolated: false, potDays };
    const a = strengths[i]!;
    const b = strengths[i + 1] ?? a;
    const fraction = b > a ? (strength - a) / (b - a) : 0;
    return { score: scores[i]! + fraction * ((scores[i + 1] ?? scores[i]!) - scores[i]!), extrapolated: false, potDays };
  }
}

/**
 * Learns one kind's table from the strongest interval of that kind on each honest pot-day
 * (−Infinity for a day without any). The score at a strength is log10((D + 1) / (n + 1)),
 * D the pot-days and n those that reached it, so that a handful of days never claims more
 * than the data hold.
 */
export function learnKindCalibration(dailyMaxima: readonly number[], potDays: number): KindCalibration {
  const seen = dailyMaxima.filter(Number.isFinite).sort((a, b) => b - a);
  const knots: Array<{ strength: number; score: number }> = [];
  for (let n = 1; n <= seen.length; n++) {
    if (n < seen.length && seen[n] === seen[n - 1]) continue;
    knots.push({ strength: seen[n - 1]!, score: Math.log10((potDays + 1) / (n + 1)) });
  }
  knots.reverse();
  const step = Math.max(1, Math.ceil(knots.length / MAX_KNOTS));
  const kept = knots.filter((_, i) => i % step === 0 || i === knots.length - 1);
  return {
    potDays,
    strengths: kept.map((knot) => round(knot.strength)),
    scores: kept.map((knot) => round(knot.score)),
    tailSlope: round(tailSlope(seen)),
  };
}

/**
 * For an exponential tail, the strongest k values exceed the k-th by log10(e) / slope on
 * average (the Hill estimator on a log scale).
 */
function tailSlope(descending: readonly number[]): number {
  const k = Math.min(TAIL_POINTS, descending.length - 1);
  if (k < MIN_TAIL_POINTS) return DEFAULT_TAIL_SLOPE;
  const threshold = descending[k]!;
  let excess = 0;
  for (let i = 0; i < k; i++) excess += descending[i]! - threshold;
  const meanExcess = excess / k;
  if (!(meanExcess > 0)) return DEFAULT_TAIL_SLOPE;
  return Math.min(DEFAULT_TAIL_SLOPE, Math.max(MIN_TAIL_SLOPE, Math.LOG10E / meanExcess));
}

const round = (value: number): number => Math.round(value * 1000) / 1000;
