import type { SuggestionKind } from '../../shared/suggestions.js';
import { CANDIDATE_STRENGTH } from './thresholds.js';

/**
 * Turns a detector's strength of evidence into one score shared by every kind: log10 of
 * how many honest pot-days it takes, on average, to see an interval at least this strong.
 * 3 means "about 1 in 1,000 honest pot-days shows this". Each kind has its own table,
 * learned on honest synthetic pot-days of the evaluation's tuning set (`npm run eval --
 * --calibrate` writes calibration-table.ts). The body of the table is the honest days as
 * counted; its tail, where a single pot-day would set the score, is a power law fitted to
 * the strongest ones (a heavy tail, so that a strength far past the data claims a few
 * orders of magnitude more, not hundreds), and past the strongest honest interval seen the
 * score says it is extrapolated.
 */

export interface KindCalibration {
  /** Honest pot-days this kind was observed on. */
  potDays: number;
  /** Strengths (ascending) and the score measured at each (non-decreasing). */
  strengths: number[];
  scores: number[];
  /** Past the last strength of the table, score gained per tenfold of strength (the power law's index). */
  tailIndex: number;
  /** The strongest honest interval seen (0 for none): past it the score is extrapolated. */
  strongestSeen: number;
}

export interface CalibrationTable {
  /** Where the table was learned, for the record. */
  learnedOn: string;
  kinds: Record<SuggestionKind, KindCalibration>;
}

export interface Rarity {
  /** log10 of honest pot-days per occurrence. */
  score: number;
  /** Beyond anything seen on the honest pot-days it was learned on: the figure is extrapolated. */
  extrapolated: boolean;
  /** Honest pot-days the calibration saw for this kind. */
  potDays: number;
}

/** Without enough honest intervals to fit the tail: a tenfold strength, three orders of magnitude. */
const DEFAULT_TAIL_INDEX = 3;
const MIN_TAIL_INDEX = 1;
const MAX_TAIL_INDEX = 10;
/** The strongest honest intervals the tail is fitted to. */
const TAIL_POINTS = 20;
const MIN_TAIL_POINTS = 5;
const MAX_KNOTS = 60;

export class Calibration {
  constructor(private readonly table: CalibrationTable) {}

  rarity(kind: SuggestionKind, strength: number): Rarity {
    const { strengths, scores, tailIndex, potDays, strongestSeen } = this.table.kinds[kind];
    const last = strengths.length - 1;
    if (last < 0 || strength > strengths[last]!) {
      const from = last < 0 ? CANDIDATE_STRENGTH : strengths[last]!;
      const base = last < 0 ? Math.log10(potDays + 1) : scores[last]!;
      return { score: base + tailIndex * Math.log10(Math.max(1, strength / from)), extrapolated: !(strength <= strongestSeen), potDays };
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
 * than the data hold. The TAIL_POINTS strongest days are left to the fitted power law: one
 * honest day more or less there would move the score of everything near it.
 */
export function learnKindCalibration(dailyMaxima: readonly number[], potDays: number): KindCalibration {
  const seen = dailyMaxima.filter(Number.isFinite).sort((a, b) => b - a);
  const fitted = seen.length > MIN_TAIL_POINTS ? Math.min(TAIL_POINTS, seen.length - 1) : 0;
  const knots: Array<{ strength: number; score: number }> = [];
  for (let n = fitted + 1; n <= seen.length; n++) {
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
    tailIndex: round(tailIndex(seen)),
    strongestSeen: seen.length > 0 ? round(seen[0]!) : 0,
  };
}

/**
 * The power law's index from the strongest honest intervals (Hill's estimator): for
 * P(S > s) ∝ s^−α, the log of the k strongest over the k-th averages 1/α.
 */
function tailIndex(descending: readonly number[]): number {
  const k = Math.min(TAIL_POINTS, descending.length - 1);
  if (k < MIN_TAIL_POINTS || !(descending[k]! > 0)) return DEFAULT_TAIL_INDEX;
  let logExcess = 0;
  for (let i = 0; i < k; i++) logExcess += Math.log(descending[i]! / descending[k]!);
  if (!(logExcess > 0)) return DEFAULT_TAIL_INDEX;
  return Math.min(MAX_TAIL_INDEX, Math.max(MIN_TAIL_INDEX, k / logExcess));
}

const round = (value: number): number => Math.round(value * 1000) / 1000;
