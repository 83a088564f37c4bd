import { describe, expect, it } from 'vitest';
import { incrementThresholdAlarms } from '../../bench/eval-baseline-detector.js';
import {
  eventScores,
  matchEvents,
  quantile,
  rangePrecisionTerms,
  rangeRecallTerms,
  timeToDetection,
  type LabelledRange,
  type PredictedRange,
} from '../../bench/eval-metrics.js';

const MINUTE = 60_000;
const SLACK = 10 * MINUTE;
const event = (from: number, to: number, kind: LabelledRange['kind'] = 'night-surge', alsoAccepted: LabelledRange['kind'][] = []): LabelledRange => ({
  kind,
  from: from * MINUTE,
  to: to * MINUTE,
  alsoAccepted,
});
const predicted = (from: number, to: number, kind: PredictedRange['kind'] = 'night-surge'): PredictedRange => ({ kind, from: from * MINUTE, to: to * MINUTE });

describe('the evaluation measures', () => {
  it('matches events and predictions of the same kind that overlap within the slack, and no further', () => {
    const events = [event(100, 200), event(500, 600)];
    const { found, correct } = matchEvents(events, [predicted(205, 230), predicted(620, 700), predicted(300, 310)], SLACK);
    expect(found).toEqual([true, false]);
    expect(correct).toEqual([true, false, false]);
  });

  it('counts a prediction naming another truthful kind as correct, but not as finding the event', () => {
    const events = [event(100, 200, 'too-regular', ['night-surge'])];
    const { found, correct } = matchEvents(events, [predicted(100, 200, 'night-surge')], SLACK);
    expect(found).toEqual([false]);
    expect(correct).toEqual([true]);
    expect(matchEvents(events, [predicted(100, 200, null)], SLACK)).toEqual({ found: [true], correct: [true] });
  });

  it('computes precision, recall and F1 from the counts, NaN when there is nothing to divide', () => {
    const scores = eventScores({ events: 10, found: 8, predictions: 10, correct: 5 });
    expect(scores.precision).toBeCloseTo(0.5);
    expect(scores.recall).toBeCloseTo(0.8);
    expect(scores.f1).toBeCloseTo((2 * 0.5 * 0.8) / 1.3);
    expect(eventScores({ events: 0, found: 0, predictions: 3, correct: 0 }).f1).toBeNaN();
  });

  it('gives range recall as the covered share of each event, divided among the pieces that cover it', () => {
    const events = [event(0, 100), event(200, 300)];
    expect(rangeRecallTerms(events, [predicted(50, 150)])).toEqual([0.5, 0]);
    expect(rangeRecallTerms(events, [predicted(0, 40), predicted(60, 100)])[0]).toBeCloseTo(0.4);
    expect(rangeRecallTerms(events, [predicted(0, 100)], 0.5)).toEqual([1, 0]);
  });

  it('gives range precision as the share of each prediction that lies in events', () => {
    const events = [event(0, 100)];
    expect(rangePrecisionTerms(events, [predicted(50, 150), predicted(400, 500), predicted(10, 20)])).toEqual([0.5, 0, 1]);
  });

  it('measures time to detection from the event start to the first reading that showed a matching suggestion', () => {
    const history = [
      { ...predicted(130, 140, 'too-regular'), seenAt: 140 * MINUTE },
      { ...predicted(150, 170), seenAt: 175 * MINUTE },
      { ...predicted(120, 190), seenAt: 190 * MINUTE },
    ];
    expect(timeToDetection(event(100, 200), history, SLACK)).toBe(75 * MINUTE);
    expect(timeToDetection(event(100, 200, 'sudden-jump'), history, SLACK)).toBeNaN();
  });

  it('interpolates quantiles', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3], 0.9)).toBeCloseTo(2.8);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('has a baseline that alarms on a tenfold step in the rate and not on steady growth', () => {
    const readings = Array.from({ length: 48 * 60 }, (_, i) => ({ at: i * MINUTE, amountMinor: 1000 * i, contributors: 2 * i }));
    expect(incrementThresholdAlarms(readings)).toEqual([]);
    const surged = readings.map((r, i) => (i >= 30 * 60 ? { ...r, contributors: r.contributors + 20 * (Math.min(i, 30 * 60 + 10) - 30 * 60) } : r));
    const alarms = incrementThresholdAlarms(surged);
    expect(alarms).toHaveLength(1);
    expect(alarms[0]!.from).toBeGreaterThanOrEqual((30 * 60 - 10) * MINUTE);
    expect(alarms[0]!.from).toBeLessThanOrEqual(30 * 60 * MINUTE);
  });
});
