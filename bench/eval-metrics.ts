import type { SuggestionKind } from '../shared/suggestions.js';

/**
 * The measures `npm run eval` reports, as pure functions of labelled and predicted ranges.
 * Ranges are closed ([from, to], epoch ms) so that an instant (a jump) is a range too.
 */

export interface Range {
  from: number;
  to: number;
}

/** A labelled event: its kind, and the other kinds that describe it truthfully. */
export interface LabelledRange extends Range {
  kind: SuggestionKind;
  alsoAccepted: readonly SuggestionKind[];
}

/** A predicted range; `kind: null` for a detector that does not name patterns (the baseline). */
export interface PredictedRange extends Range {
  kind: SuggestionKind | null;
}

/** A prediction is right about an event when it names the event's kind or one that also describes it. */
export const describes = (predicted: PredictedRange, event: LabelledRange): boolean =>
  predicted.kind === null || predicted.kind === event.kind || event.alsoAccepted.includes(predicted.kind);

/** An event is found only by a prediction of its own kind (or by one that names none). */
export const finds = (predicted: PredictedRange, event: LabelledRange): boolean => predicted.kind === null || predicted.kind === event.kind;

export const overlapsWithin = (a: Range, b: Range, slackMs: number): boolean => a.from <= b.to + slackMs && a.to >= b.from - slackMs;

/** An instant is taken as one millisecond long, so that it can be covered. */
const widened = (range: Range): Range => ({ from: range.from, to: Math.max(range.to, range.from + 1) });
const overlapLength = (a: Range, b: Range): number => {
  const x = widened(a);
  const y = widened(b);
  return Math.max(0, Math.min(x.to, y.to) - Math.max(x.from, y.from));
};
const lengthOf = (range: Range): number => Math.max(1, range.to - range.from);

export interface EventCounts {
  events: number;
  found: number;
  predictions: number;
  correct: number;
}

/** Event-level matching with slack: which events were found and which predictions were right. */
export function matchEvents(events: readonly LabelledRange[], predicted: readonly PredictedRange[], slackMs: number) {
  return {
    found: events.map((event) => predicted.some((p) => finds(p, event) && overlapsWithin(p, event, slackMs))),
    correct: predicted.map((p) => events.some((event) => describes(p, event) && overlapsWithin(p, event, slackMs))),
  };
}

export const ratio = (part: number, whole: number): number => (whole === 0 ? Number.NaN : part / whole);
export const f1Score = (precision: number, recall: number): number =>
  Number.isNaN(precision) || Number.isNaN(recall) ? Number.NaN : precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);

export interface Scores {
  precision: number;
  recall: number;
  f1: number;
}

export function eventScores(counts: EventCounts): Scores {
  const precision = ratio(counts.correct, counts.predictions);
  const recall = ratio(counts.found, counts.events);
  return { precision, recall, f1: f1Score(precision, recall) };
}

/**
 * Range-based recall and precision (Tatbul, Lee, Zdonik, Alam, Gottschlich, "Precision and
 * Recall for Time Series", NeurIPS 2018) with a flat positional bias and the cardinality
 * factor γ = 1/x (a range covered by x pieces counts 1/x of their overlap).
 *
 * Recall_T(R, P) = mean over real ranges Rᵢ of α·Existence(Rᵢ) + (1 − α)·Overlap(Rᵢ);
 * Precision_T(R, P) = mean over predicted ranges Pⱼ of Overlap(Pⱼ) (α = 0).
 * `alpha` rewards merely finding a range; 0 judges the overlap alone.
 */
export function rangeRecallTerms(events: readonly LabelledRange[], predicted: readonly PredictedRange[], alpha = 0): number[] {
  return events.map((event) => {
    const pieces = predicted.filter((p) => finds(p, event) && overlapLength(p, event) > 0);
    if (pieces.length === 0) return 0;
    const covered = pieces.reduce((sum, p) => sum + overlapLength(p, event), 0);
    return alpha + (1 - alpha) * cardinality(pieces.length) * Math.min(1, covered / lengthOf(event));
  });
}

export function rangePrecisionTerms(events: readonly LabelledRange[], predicted: readonly PredictedRange[]): number[] {
  return predicted.map((p) => {
    const pieces = events.filter((event) => describes(p, event) && overlapLength(p, event) > 0);
    if (pieces.length === 0) return 0;
    const covered = pieces.reduce((sum, event) => sum + overlapLength(p, event), 0);
    return cardinality(pieces.length) * Math.min(1, covered / lengthOf(p));
  });
}

const cardinality = (pieces: number): number => (pieces <= 1 ? 1 : 1 / pieces);

export const mean = (values: readonly number[]): number =>
  values.length === 0 ? Number.NaN : values.reduce((sum, value) => sum + value, 0) / values.length;

/** The q-quantile (0..1) by linear interpolation; NaN for no values. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = q * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

/** A prediction as it stood at some instant of an online run: what a moderator saw then. */
export interface TimedPrediction extends PredictedRange {
  seenAt: number;
}

/**
 * How long after an event began a prediction that finds it was first shown (never negative:
 * the slack may match a prediction raised just before). NaN when none ever was.
 */
export function timeToDetection(event: LabelledRange, history: readonly TimedPrediction[], slackMs: number): number {
  let first = Number.POSITIVE_INFINITY;
  for (const p of history) if (p.seenAt < first && finds(p, event) && overlapsWithin(p, event, slackMs)) first = p.seenAt;
  return Number.isFinite(first) ? Math.max(0, first - event.from) : Number.NaN;
}
