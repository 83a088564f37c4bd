import type { SuggestionEvidence } from '../../shared/suggestions.js';
import { MINUTE } from '../../shared/time.js';
import { CELL_MS } from './cells.js';
import type { DetectorContext } from './detector-context.js';
import type { DetectorDefinition } from './detector.js';
import { en, fr, perHour, round } from './evidence-format.js';
import { log10ChiSquareLowerTail, log10CountLowerTail, log10CountUpperTail, withDrift } from './statistics.js';
import { reportSteadySurge } from './too-regular.js';
import { CANDIDATE_STRENGTH, DRIFT, QUIET_HOUR_SHARE, SURGE_MIN_RATIO } from './thresholds.js';

/** Windows of two to five hours, by half hours, to fit a surge between its start and its stop. */
const STOPPED_WINDOW_CELLS = [24, 30, 36, 42, 48, 60];
/** Without seeing it stop, a surge must hold this long to be told from a slow wave. */
const HELD_WINDOW_CELLS = [36, 48, 60];
/** The hour before a window, to tell a surge that starts there from a wave that started earlier. */
const LEAD_IN_CELLS = 12;
/** The hour after a window, to see a surge stop and stay stopped. */
const AFTER_CELLS = 12;
const MIN_COVERED_SHARE = 0.75;
/** Contributors' worth of trust in the rhythm's prediction before the hour before overrides it. */
const LEAD_IN_PRIOR = 5;
/**
 * A surge starts within the quiet hours: the excess of the hour before is at most this share
 * of the window's (windows start within half an hour of a surge's start).
 */
const MAX_LEAD_IN_SHARE = 0.6;
/** A surge is level: each third of the window keeps at least this share of the excess of the strongest. */
const MIN_HELD_SHARE = 0.7;
/** ...and this share, for one not yet seen to stop. */
const MIN_LONG_HELD_SHARE = 0.85;
/** A stop: the excess of the hour after falls to at most this share of the last third's, and the rate to at most half. */
const MAX_AFTER_SHARE = 0.35;
const MAX_AFTER_RATE_SHARE = 0.5;
/**
 * What a fading wave keeps of its excess from one part to the next at the least: the
 * shape tests ask how unlikely the parts are if the window were such a wave.
 */
const WAVE_KEEPS = 0.7;
/** How far (standard deviation of its log) an honest crowd's rate drifts from one hour to the next. */
const STOP_DRIFT = 0.25;
const DRIFT_GRID_POINTS = 41;
/** The drift grid spans this many standard deviations each side. */
const DRIFT_GRID_REACH = 5;
/** The least an honest crowd's rate drifts, beyond chance, over a few tens of minutes. */
const STEADY_DRIFT = 0.1;
/** Fewer extra contributors than this cannot be told from a small wave by their shape: chance shapes them. */
const MIN_SURGE_EXCESS = 50;
/**
 * A rhythm learned over a day or two still carries its evenings' waves: the hours just before
 * its night may look busy on average and be quiet tonight.
 */
const EVENING_HOURS = 3;
/** The magnitude test: how unlikely this much is if the hours were even twice as busy as usual. */
const MAGNITUDE_NULL_RATIO = 1.5;

interface Part {
  contributors: number;
  exposureMs: number;
  /** Contributors the pot's level and rhythm predict over the same exposure. */
  expected: number;
}

interface SurgeTest {
  whole: Part;
  thirds: Part[];
  /** The window in sixths, to judge how steady it is. */
  sixths: Part[];
  leadIn: Part;
  /** The first half of the lead-in hour: before a surge that the window may have caught half an hour late. */
  before: Part;
  after: Part;
  dispersion: number;
}

const rateOf = (part: Part): number => part.contributors / part.exposureMs;
const excessRate = (part: Part): number => (part.exposureMs > 0 ? (part.contributors - part.expected) / part.exposureMs : Number.NaN);

/**
 * Running totals of cells [first, end): every part of every window tested as a cell closes
 * is then a difference of two totals, so that trying many windows costs one pass over them.
 */
class CellTotals {
  private readonly contributors: Float64Array;
  private readonly exposure: Float64Array;
  private readonly expected: Float64Array;

  constructor(
    context: DetectorContext,
    private readonly first: number,
    end: number,
  ) {
    const { baseline, cells } = context;
    const length = Math.max(0, end - first);
    this.contributors = new Float64Array(length + 1);
    this.exposure = new Float64Array(length + 1);
    this.expected = new Float64Array(length + 1);
    for (let i = 0; i < length; i++) {
      const cell = cells.get(first + i);
      const counted = cell && !cell.gap;
      this.contributors[i + 1] = this.contributors[i]! + (counted ? cell.contributors : 0);
      this.exposure[i + 1] = this.exposure[i]! + (counted ? cell.exposureMs : 0);
      this.expected[i + 1] = this.expected[i]! + (counted ? baseline.expectedRate(cell.start) * cell.exposureMs : 0);
    }
    context.count(length);
  }

  part(from: number, to: number): Part {
    const a = this.clamp(from);
    const b = this.clamp(to);
    return {
      contributors: this.contributors[b]! - this.contributors[a]!,
      exposureMs: this.exposure[b]! - this.exposure[a]!,
      expected: this.expected[b]! - this.expected[a]!,
    };
  }

  private clamp(index: number): number {
    return Math.min(this.contributors.length - 1, Math.max(0, index - this.first));
  }
}

/**
 * What the pot's own level and daily rhythm predict for cells [from, to), its thirds, the
 * hour before and the hour after. A level learned over the last day still carries its
 * evening's wave: when the hour before the window was quieter than predicted, the prediction
 * is lowered to match (never raised: a busy hour before may be a wave under way).
 */
function surgeTest(context: DetectorContext, totals: CellTotals, from: number, to: number): SurgeTest | null {
  const { baseline } = context;
  if (!baseline.hasRhythm() || !(baseline.level() > 0)) return null;
  const whole = totals.part(from, to);
  if (whole.exposureMs < MIN_COVERED_SHARE * (to - from) * CELL_MS || whole.expected <= 0) return null;
  const third = (to - from) / 3;
  const leadIn = totals.part(from - LEAD_IN_CELLS, from);
  context.count(1);
  const parts = [
    whole,
    leadIn,
    ...[0, 1, 2].map((k) => totals.part(from + Math.round(k * third), from + Math.round((k + 1) * third))),
    totals.part(to, to + AFTER_CELLS),
    totals.part(from - LEAD_IN_CELLS, from - LEAD_IN_CELLS / 2),
    ...[0, 1, 2, 3, 4, 5].map((k) => totals.part(from + Math.round((k * (to - from)) / 6), from + Math.round(((k + 1) * (to - from)) / 6))),
  ];
  const quieter = Math.min(1, (leadIn.contributors + LEAD_IN_PRIOR) / (leadIn.expected + LEAD_IN_PRIOR));
  for (const part of parts) part.expected *= quieter;
  return {
    whole,
    leadIn,
    thirds: parts.slice(2, 5),
    after: parts[5]!,
    before: parts[6]!,
    sixths: parts.slice(7, 13),
    dispersion: Number.isNaN(baseline.dispersion()) ? 1 : baseline.dispersion(),
  };
}

/**
 * How unlikely the window's shape is for a fading wave, in −log10, or NaN when it plainly is
 * one: a surge that began within the quiet hours (little excess in the hour before) and
 * stayed level, then either stopped (the hour after falls back) or held for three hours
 * or more. A media wave starts earlier, rises and fades: it never stops at once.
 */
function shapeSurprise(test: SurgeTest, stopped: boolean, continues: boolean): number {
  const { whole, thirds, leadIn, after, dispersion } = test;
  const last = thirds[2]!;
  const strongest = Math.max(...thirds.map(excessRate));
  const startsHere = !(leadIn.exposureMs >= 15 * MINUTE) || excessRate(leadIn) <= MAX_LEAD_IN_SHARE * excessRate(whole);
  if (!(startsHere || continues) || !isLevel(thirds, stopped ? MIN_HELD_SHARE : MIN_LONG_HELD_SHARE, dispersion)) return Number.NaN;
  if (stopped) {
    if (after.exposureMs < 15 * MINUTE || !(excessRate(after) <= MAX_AFTER_SHARE * excessRate(last))) return Number.NaN;
    if (!(rateOf(after) <= MAX_AFTER_RATE_SHARE * rateOf(last))) return Number.NaN;
    // A wave's excess keeps fading and a level surge's stays; a crowd that thins out through the
    // window (going to bed later than its rhythm says) keeps thinning: the lesser is what honesty allows.
    // A window that rises into its end has caught a burst at its peak, which then fades: the hour
    // after is held to the window's average pace, not its peak.
    const trendWouldBring = Math.min(
      after.expected + Math.min(continued(test, excessRate), Math.max(0, excessRate(whole))) * after.exposureMs,
      Math.min(continued(test, rateOf), rateOf(whole)) * after.exposureMs,
    );
    return dropSurprise(after.contributors, trendWouldBring, dispersion) + steadiness(test);
  }
  const waveWouldBring = last.expected + WAVE_KEEPS * strongest * last.exposureMs;
  const hold = -log10CountUpperTail(last.contributors, waveWouldBring, withDrift(dispersion, DRIFT, waveWouldBring));
  return hold + steadiness(test);
}

/**
 * How unlikely it is, in −log10, that a crowd expected to bring `predicted` brings only
 * `observed`, when its rate may have drifted by a share of itself (log-normal, STOP_DRIFT)
 * and its counts vary as the pot's usually do around that rate: a big pot may dip by a
 * fifth but never falls to a tenth from one hour to the next, and a small pot's quiet hour
 * is only as unlikely as chance makes it. Summed over the drift on a grid of its quantiles.
 */
function dropSurprise(observed: number, predicted: number, dispersion: number): number {
  if (!(predicted > observed)) return 0;
  let probability = 0;
  let weights = 0;
  for (let i = 0; i < DRIFT_GRID_POINTS; i++) {
    const z = -DRIFT_GRID_REACH + (2 * DRIFT_GRID_REACH * i) / (DRIFT_GRID_POINTS - 1);
    const weight = Math.exp((-z * z) / 2);
    probability += weight * 10 ** log10CountLowerTail(observed, predicted * Math.exp(STOP_DRIFT * z), dispersion);
    weights += weight;
  }
  return -Math.log10(probability / weights);
}

/**
 * How unlikely it is, in −log10, that an honest crowd keeps as steady a pace through the
 * window: its counts vary beyond chance and its rate drifts (at least STEADY_DRIFT), where
 * independent arrivals at a constant rate, a bot's, vary by chance alone. Steadiness says
 * nothing for a small pot, where chance dominates, and much for a big one.
 */
function steadiness(test: SurgeTest): number {
  const { sixths, dispersion } = test;
  let contributors = 0;
  let expected = 0;
  let exposure = 0;
  for (const part of sixths) {
    contributors += part.contributors;
    expected += part.expected;
    exposure += part.exposureMs;
  }
  const excess = (contributors - expected) / exposure;
  let statistic = 0;
  let parts = 0;
  for (const part of sixths) {
    if (!(part.exposureMs > 0)) continue;
    const mean = part.expected + excess * part.exposureMs;
    if (!(mean > 0)) continue;
    statistic += (part.contributors - mean) ** 2 / (mean * withDrift(dispersion, STEADY_DRIFT, mean));
    parts++;
  }
  return parts >= 4 ? Math.max(0, -log10ChiSquareLowerTail(statistic, parts - 1)) : 0;
}

/**
 * What a part's `measure` (a rate) would be over the hour after the window if the window's own
 * trend went on: fading at the pace it faded from its first third to its last, or level.
 */
function continued(test: SurgeTest, measure: (part: Part) => number): number {
  const [first, , last] = test.thirds.map((part) => Math.max(measure(part), 1e-12));
  const perThird = Math.min(1, Math.sqrt(last! / first!));
  const thirdMs = test.whole.exposureMs / 3;
  const ahead = (thirdMs / 2 + test.after.exposureMs / 2) / thirdMs;
  return last! * perThird ** ahead;
}

/**
 * Whether every part keeps at least `share` of the strongest part's excess, allowing for
 * chance: two standard deviations of each count.
 */
function isLevel(parts: readonly Part[], share: number, dispersion: number): boolean {
  const noise = (part: Part) => (2 * Math.sqrt(withDrift(dispersion, STEADY_DRIFT, part.contributors) * Math.max(1, part.contributors))) / part.exposureMs;
  let strongest = -Infinity;
  let strongestNoise = 0;
  for (const part of parts) {
    if (!(part.exposureMs > 0)) return false;
    if (excessRate(part) > strongest) {
      strongest = excessRate(part);
      strongestNoise = noise(part);
    }
  }
  return parts.every((part) => excessRate(part) + noise(part) >= share * (strongest - strongestNoise));
}

/**
 * A surge in the pot's quiet hours, several times what its own rhythm predicts, whose shape
 * is not a burst's. Windows that ended half an hour ago are judged on stopping; windows
 * that end now, on holding for three hours or more.
 */
function checkNightSurge(context: DetectorContext, end: number): void {
  const { baseline } = context;
  if (!baseline.hasRhythm() || !(baseline.level() > 0)) return;
  const longest = Math.max(...STOPPED_WINDOW_CELLS, ...HELD_WINDOW_CELLS);
  const totals = new CellTotals(context, end - AFTER_CELLS - longest - LEAD_IN_CELLS, end);
  for (const stopped of [true, false]) {
    for (const length of stopped ? STOPPED_WINDOW_CELLS : HELD_WINDOW_CELLS) {
      const to = stopped ? end - AFTER_CELLS : end;
      const from = to - length;
      if (from - LEAD_IN_CELLS < context.cells.firstIndex) continue;
      const test = surgeTest(context, totals, from, to);
      if (!test || !quietAt(context, from, test.leadIn)) continue;
      const { whole, dispersion } = test;
      if (whole.contributors - whole.expected < MIN_SURGE_EXCESS || whole.contributors < SURGE_MIN_RATIO * whole.expected) continue;
      const usualAtMost = MAGNITUDE_NULL_RATIO * whole.expected;
      const magnitude = -log10CountUpperTail(whole.contributors, usualAtMost, withDrift(dispersion, DRIFT, usualAtMost));
      if (magnitude < CANDIDATE_STRENGTH) continue;
      const continues = context.findings.overlapping('night-surge', from * CELL_MS - CELL_MS, to * CELL_MS) !== undefined;
      const shape = shapeSurprise(test, stopped, continues);
      if (!(shape >= CANDIDATE_STRENGTH)) continue;
      const window = { from: from * CELL_MS, to: to * CELL_MS, strength: Math.min(magnitude, shape) };
      reportSteadySurge(context, from, to, window.strength);
      context.findings.report('night-surge', window, (start, stop) => describeSurge(context, start, stop));
    }
  }
}

/**
 * The surge starts in the pot's night, as its own rhythm places it, or at an hour of the
 * day that is not among its busy ones or comes just before its night, while the hour before
 * it was quiet indeed (a rhythm learned over a day or two can still carry a late evening's wave).
 */
function quietAt(context: DetectorContext, from: number, leadIn: Part | undefined): boolean {
  const { baseline } = context;
  const at = from * CELL_MS;
  if (baseline.isQuiet(at)) return true;
  if (!leadIn || !(baseline.share(at) <= 1 || baseline.isNearQuiet(at, EVENING_HOURS)) || !(leadIn.exposureMs >= 30 * MINUTE)) return false;
  return rateOf(leadIn) <= QUIET_HOUR_SHARE * baseline.level();
}

export const nightSurge: DetectorDefinition = {
  kind: 'night-surge',
  explainedBy: ['too-regular', 'freeze-catch-up', 'identical-small-gifts'],
  create: (context) => ({ onCellClosed: (end) => checkNightSurge(context, end) }),
};

function describeSurge(context: DetectorContext, from: number, to: number): SuggestionEvidence {
  const { baseline } = context;
  const first = from / CELL_MS;
  const last = to / CELL_MS;
  const test = surgeTest(context, new CellTotals(context, first - LEAD_IN_CELLS, last + AFTER_CELLS), first, last);
  const whole = test?.whole;
  const rate = whole && whole.exposureMs > 0 ? whole.contributors / whole.exposureMs : Number.NaN;
  const usualRate = whole && whole.exposureMs > 0 ? whole.expected / whole.exposureMs : Number.NaN;
  const startShare = baseline.share(from);
  const leadInShare = test && test.leadIn.exposureMs > 0 ? rateOf(test.leadIn) / baseline.level() : Number.NaN;
  const ratio = rate / usualRate;
  const held = test ? excessRate(test.thirds[2]!) / Math.max(excessRate(test.thirds[0]!), excessRate(test.thirds[1]!)) : Number.NaN;
  const after = test && test.after.exposureMs > 0 ? excessRate(test.after) / excessRate(test.thirds[2]!) : Number.NaN;
  const stoppedAtOnce = Number.isFinite(after) && after <= MAX_AFTER_SHARE;
  // A window is let in either because it starts in the pot's night, or because tonight the
  // hour before it was quiet (see quietAt): the evidence says which.
  const inNight = baseline.isQuiet(from);
  return {
    summary:
      `+${en.count(perHour(rate))} contributors/h from ${en.span(from, to)}, ${en.times(ratio)} what this pot's own daily ` +
      `rhythm predicts for those hours (${en.count(perHour(usualRate))}/h). ` +
      (inNight
        ? `The rise began in the pot's night as its own rhythm places it (that hour usually brings ${en.percent(startShare)} of an average hour's activity) and`
        : `The hour before the rise was quiet (${en.percent(leadInShare)} of an average hour's activity; the hour it began in usually brings ${en.percent(startShare)}), and the rise`) +
      ` did not fade as a media wave does` +
      (Number.isFinite(held) ? `: the last third of the interval kept ${en.percent(held)} of the excess` : '') +
      (stoppedAtOnce ? `, and it stopped at once (${en.percent(Math.max(0, after))} of it the hour after).` : '.'),
    summaryFr:
      `+${fr.count(perHour(rate))} contributeurs/h, ${fr.span(from, to)}, ${fr.times(ratio)} ce que le rythme quotidien de cette ` +
      `cagnotte prévoit à ces heures (${fr.count(perHour(usualRate))}/h). ` +
      (inNight
        ? `La hausse a commencé dans la nuit de la cagnotte telle que son propre rythme la situe (cette heure apporte d'habitude ${fr.percent(startShare)} de l'activité d'une heure moyenne) et`
        : `L'heure avant la hausse était calme (${fr.percent(leadInShare)} de l'activité d'une heure moyenne ; l'heure où elle a commencé en apporte d'habitude ${fr.percent(startShare)}), et la hausse`) +
      ` ne s'est pas estompée comme une vague médiatique` +
      (Number.isFinite(held) ? ` : le dernier tiers de l'intervalle a gardé ${fr.percent(held)} de l'excédent` : '') +
      (stoppedAtOnce ? `, et elle s'est arrêtée net (${fr.percent(Math.max(0, after))} de l'excédent l'heure suivante).` : '.'),
    contributorsPerHour: round(perHour(rate), 1),
    usualContributorsPerHour: round(perHour(usualRate), 1),
    rateRatio: round(ratio, 2),
    startHourShareOfAverageHour: round(startShare, 3),
    leadInShareOfAverageHour: round(leadInShare, 3),
    heldShare: round(held, 2),
    afterShare: round(after, 2),
    contributors: whole?.contributors ?? null,
  };
}
