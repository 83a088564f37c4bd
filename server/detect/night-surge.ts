import type { SuggestionEvidence } from '../../shared/suggestions.js';
import { HOUR } from '../../shared/time.js';
import { CELL_MS } from './cells.js';
import type { DetectorContext } from './detector-context.js';
import { count, percent, perHour, round, span, times } from './evidence-format.js';
import { log10CountUpperTail } from './statistics.js';
import { MIN_SURPRISE, QUIET_HOUR_SHARE, SURGE_MIN_RATIO } from './thresholds.js';

/** Two and four hours: long enough that a burst's quick decay cannot pass for a surge. */
const WINDOW_CELLS = [24, 48];
/**
 * The levels just before the window (the last hour, the last three), so that an evening's
 * media wave fading into the night is expected.
 */
const LEAD_IN_CELLS = [12, 36];
const LONGEST_LEAD_IN = 36;
const MIN_COVERED_SHARE = 0.75;

interface SurgeTest {
  contributors: number;
  exposureMs: number;
  /** Contributors the pot's level and rhythm predict for the window. */
  expected: number;
  /** Observed over predicted in the weaker half of the window: a surge lasts (at least half as strong), a wave's onset fades. */
  weakerHalfRatio: number;
  /** The window's usual activity relative to the pot's average hour. */
  usualShare: number;
  /**
   * The same for its busiest five minutes: every part of the window must be an hour this
   * pot has been seen to be quiet at (an hour not yet seen counts as busy).
   */
  busiestShare: number;
  surprise: number;
}

/**
 * What the pot's rhythm predicts for cells [from, to): its share of the day times the
 * higher of the 24-hour level and the level of the hours just before, so that the test
 * is conservative.
 */
function surgeTest(context: DetectorContext, from: number, to: number): SurgeTest | null {
  const { baseline, cells } = context;
  const level = baseline.level();
  const dispersion = baseline.dispersion();
  if (!baseline.hasRhythm() || !(level > 0) || Number.isNaN(dispersion)) return null;
  let contributors = 0;
  let exposureMs = 0;
  let shareExposure = 0;
  const halves = [
    { contributors: 0, shareExposure: 0 },
    { contributors: 0, shareExposure: 0 },
  ];
  const middle = (from + to) / 2;
  let busiestShare = 0;
  for (const cell of cells.range(from, to)) {
    busiestShare = Math.max(busiestShare, baseline.knowsHour(cell.start) ? baseline.share(cell.start) : Infinity);
    const share = cell.exposureMs * baseline.share(cell.start);
    contributors += cell.contributors;
    exposureMs += cell.exposureMs;
    shareExposure += share;
    const half = halves[cell.index < middle ? 0 : 1]!;
    half.contributors += cell.contributors;
    half.shareExposure += share;
  }
  let leadInLevel = 0;
  for (const cellsBefore of LEAD_IN_CELLS) {
    let leadIn = 0;
    let leadInShareExposure = 0;
    for (const cell of cells.range(from - cellsBefore, from)) {
      leadIn += cell.contributors;
      leadInShareExposure += cell.exposureMs * baseline.share(cell.start);
    }
    context.count(cellsBefore);
    if (leadInShareExposure >= HOUR * 0.25) leadInLevel = Math.max(leadInLevel, leadIn / leadInShareExposure);
  }
  context.count(to - from);
  if (exposureMs < MIN_COVERED_SHARE * (to - from) * CELL_MS || shareExposure <= 0) return null;
  const reference = Math.max(level, leadInLevel);
  return {
    contributors,
    exposureMs,
    expected: reference * shareExposure,
    weakerHalfRatio: Math.min(...halves.map((half) => half.contributors / (reference * half.shareExposure))),
    usualShare: shareExposure / exposureMs,
    busiestShare,
    surprise: -log10CountUpperTail(contributors, reference * shareExposure, dispersion),
  };
}

export function checkNightSurge(context: DetectorContext, end: number): void {
  for (const length of WINDOW_CELLS) {
    const from = end - length;
    if (from - LONGEST_LEAD_IN < context.cells.firstIndex) continue;
    const test = surgeTest(context, from, end);
    if (!test || test.busiestShare > QUIET_HOUR_SHARE) continue;
    const sustained = test.weakerHalfRatio >= SURGE_MIN_RATIO / 2;
    if (test.contributors < SURGE_MIN_RATIO * test.expected || !sustained || test.surprise < MIN_SURPRISE) continue;
    const window = { from: from * CELL_MS, to: end * CELL_MS, score: test.surprise };
    context.findings.report('night-surge', window, (start, stop) => describeSurge(context, start, stop));
  }
}

function describeSurge(context: DetectorContext, from: number, to: number): SuggestionEvidence {
  const test = surgeTest(context, from / CELL_MS, to / CELL_MS);
  const rate = test && test.exposureMs > 0 ? test.contributors / test.exposureMs : Number.NaN;
  const usualRate = test && test.exposureMs > 0 ? test.expected / test.exposureMs : Number.NaN;
  const ratio = rate / usualRate;
  return {
    summary:
      `+${count(perHour(rate))} contributors/h from ${span(from, to)}, ${times(ratio)} what this pot's own daily ` +
      `rhythm predicts for those hours (${count(perHour(usualRate))}/h). These are among its quiet hours: ` +
      `usually ${percent(test?.usualShare ?? Number.NaN)} of an average hour's activity.`,
    contributorsPerHour: round(perHour(rate), 1),
    usualContributorsPerHour: round(perHour(usualRate), 1),
    rateRatio: round(ratio, 2),
    usualShareOfAverageHour: round(test?.usualShare ?? Number.NaN, 3),
    contributors: test?.contributors ?? null,
  };
}
