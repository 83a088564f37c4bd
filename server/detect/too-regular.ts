import type { SuggestionEvidence } from '../../shared/suggestions.js';
import { DAY, MINUTE } from '../../shared/time.js';
import { CELL_MS } from './cells.js';
import type { DetectorContext } from './detector-context.js';
import type { DetectorDefinition } from './detector.js';
import { en, fr, perHour, round } from './evidence-format.js';
import { log10ChiSquareLowerTail } from './statistics.js';
import { BELOW_CHANCE_SURPRISE } from './thresholds.js';

/** Two, three, four and six hours. */
const WINDOW_CELLS = [24, 36, 48, 72];
/** Below this many contributors per unit, chance alone makes counts look ragged or even. */
const MIN_MEAN_PER_UNIT = 5;
/** Fewer units leave too few degrees of freedom to call anything regular. */
const MIN_UNITS = 7;
/** A unit closes once it has this share of the usual polling interval, so that most units hold one step. */
const UNIT_SHARE_OF_STEP = 0.6;
const MIN_COVERED_SHARE = 0.8;

export interface RegularityTest {
  unitMinutes: number;
  units: number;
  contributors: number;
  amountMinor: number;
  exposureMs: number;
  /** Observed spread of per-unit contributor counts relative to their mean. */
  contributorsCv: number;
  amountCv: number;
  /** The least spread independent donors would show at this rate (Poisson). */
  chanceCv: number;
  /** Pearson dispersion per degree of freedom; 1 for independent donors, near 0 for a metronome. */
  contributorsDispersion: number;
  /** The same for amounts against identical independent gifts; honest crowds stay at 1 + CV² of a gift or above. */
  amountDispersion: number;
  /** The least amount dispersion independent donors giving this pot's usual mix of gifts show: 1 + CV² of a gift. */
  usualAmountDispersion: number;
  /** −log10 of the chance that independent donors look this regular. */
  chanceSurprise: number;
  /**
   * −log10 of the chance that independent donors giving this pot's usual mix of gifts raise
   * amounts this even: a steady stream of one or a few gift sizes is far steadier in amount
   * than a crowd whose gifts range from a few euros to hundreds.
   */
  amountSurprise: number;
}

/**
 * Units of the window being tested, reused from one test to the next; they grow when a
 * finding longer than any window is described.
 */
let unitCounts = new Float64Array(Math.max(...WINDOW_CELLS));
let unitAmounts = new Float64Array(unitCounts.length);
let unitExposures = new Float64Array(unitCounts.length);
let unitPositions = new Float64Array(unitCounts.length);

function holdUnits(cells: number): void {
  if (cells <= unitCounts.length) return;
  unitCounts = new Float64Array(cells);
  unitAmounts = new Float64Array(cells);
  unitExposures = new Float64Array(cells);
  unitPositions = new Float64Array(cells);
}

/**
 * Cuts cells [from, to) into units of at least `unitMs` of elapsed time each, so that a
 * unit holds whole polling steps whatever the poller's rhythm: increments are judged per
 * elapsed time, never per reading. A gap discards the unit it falls in. Returns the count.
 */
function cutUnits(context: DetectorContext, from: number, to: number, unitMs: number): number {
  holdUnits(to - from);
  let units = 0;
  let contributors = 0;
  let amount = 0;
  let exposure = 0;
  let start = from;
  for (let index = from; index < to; index++) {
    const cell = context.cells.get(index);
    if (!cell || cell.gap) {
      contributors = amount = exposure = 0;
      start = index + 1;
      continue;
    }
    contributors += cell.contributors;
    amount += cell.amountMinor;
    exposure += cell.exposureMs;
    if (exposure < unitMs) continue;
    unitCounts[units] = contributors;
    unitAmounts[units] = amount;
    unitExposures[units] = exposure;
    unitPositions[units] = (start + index + 1) / 2 - from;
    units++;
    contributors = amount = exposure = 0;
    start = index + 1;
  }
  context.count(to - from);
  return units;
}

/**
 * Pearson's statistic of the first `n` units around a straight-line trend of their rate
 * (exposure-weighted least squares): a winding-down evening is a trend, not noise, and a
 * metronome has no trend to hide behind. `variance` scales each unit's chance variance.
 */
function pearsonOfUnits(values: Float64Array, n: number, variance: number): number {
  let weight = 0;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    weight += unitExposures[i]!;
    meanX += unitExposures[i]! * unitPositions[i]!;
    meanY += values[i]!;
  }
  meanX /= weight;
  meanY /= weight;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = unitPositions[i]! - meanX;
    sxx += unitExposures[i]! * dx * dx;
    sxy += dx * (values[i]! - meanY * unitExposures[i]!);
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const floor = meanY * 1e-3;
  let statistic = 0;
  for (let i = 0; i < n; i++) {
    const expected = unitExposures[i]! * Math.max(floor, meanY + slope * (unitPositions[i]! - meanX));
    statistic += (values[i]! - expected) ** 2 / (expected * variance);
  }
  return statistic;
}

/** Windows less regular than this (dispersion per degree of freedom) are not worth the exact tail. */
const SCREEN_DISPERSION = 0.8;

/** Tests whether the cells in [from, to) grew more evenly than independent donors can; null when they plainly did not. */
export function regularityTest(context: DetectorContext, from: number, to: number, screen = false): RegularityTest | null {
  let contributors = 0;
  let exposureMs = 0;
  for (let index = from; index < to; index++) {
    const cell = context.cells.get(index);
    if (!cell || cell.gap) continue;
    contributors += cell.contributors;
    exposureMs += cell.exposureMs;
  }
  context.count(to - from);
  const windowMs = (to - from) * CELL_MS;
  if (exposureMs < MIN_COVERED_SHARE * windowMs || contributors < MIN_UNITS * MIN_MEAN_PER_UNIT) return null;
  const usualStep = context.sampling.usualStepMs;
  const unitMs = Math.max(CELL_MS, Number.isFinite(usualStep) ? UNIT_SHARE_OF_STEP * usualStep : 0, (MIN_MEAN_PER_UNIT * exposureMs) / contributors);
  const units = cutUnits(context, from, to, unitMs);
  if (units < MIN_UNITS) return null;
  let unitContributors = 0;
  let amountMinor = 0;
  let unitExposure = 0;
  for (let i = 0; i < units; i++) {
    unitContributors += unitCounts[i]!;
    amountMinor += unitAmounts[i]!;
    unitExposure += unitExposures[i]!;
  }
  const meanPerUnit = unitContributors / units;
  if (meanPerUnit < MIN_MEAN_PER_UNIT || amountMinor <= 0) return null;
  const dof = units - 2;
  const chiSquare = pearsonOfUnits(unitCounts, units, 1);
  if (screen && chiSquare / dof > SCREEN_DISPERSION) return null;
  const gift = amountMinor / unitContributors;
  const amountChiSquare = pearsonOfUnits(unitAmounts, units, gift);
  const meanAmountPerUnit = amountMinor / units;
  const usualAmount = usualAmountDispersion(context);
  return {
    unitMinutes: Math.round(unitExposure / units / MINUTE),
    units,
    contributors: unitContributors,
    amountMinor,
    exposureMs: unitExposure,
    contributorsCv: Math.sqrt(chiSquare / dof / meanPerUnit),
    amountCv: Math.sqrt(((amountChiSquare / dof) * gift) / meanAmountPerUnit),
    chanceCv: 1 / Math.sqrt(meanPerUnit),
    contributorsDispersion: chiSquare / dof,
    amountDispersion: amountChiSquare / dof,
    usualAmountDispersion: usualAmount,
    chanceSurprise: -log10ChiSquareLowerTail(chiSquare, dof),
    amountSurprise: -log10ChiSquareLowerTail(amountChiSquare / usualAmount, dof),
  };
}

/**
 * Independent donors giving this pot's usual mix of gifts make amounts vary at least
 * 1 + CV² of a gift times chance; the amount must be steadier than that too.
 */
const usualAmountDispersion = (context: DetectorContext): number => {
  const giftCv2 = context.baseline.usualGiftCv2();
  return 1 + (Number.isNaN(giftCv2) ? 0 : giftCv2);
};

/**
 * Looks at the windows ending at cell `end` (exclusive): those far more regular than the
 * pot's own activity, and more regular than independent donors can be, are reported.
 */
function checkRegularity(context: DetectorContext, end: number): void {
  for (const length of WINDOW_CELLS) {
    const from = end - length;
    if (from < context.cells.firstIndex) continue;
    const strength = evenness(regularityTest(context, from, end, true));
    if (strength >= BELOW_CHANCE_SURPRISE) reportRegular(context, from, end, strength);
  }
}

/**
 * How unlikely (−log10) independent donors are to grow as evenly as the window did, in count
 * or in amount; NaN when the count beats chance not even once in 20, or the amount is no
 * steadier than the pot's usual mix of gifts allows.
 */
function evenness(test: RegularityTest | null): number {
  if (!test || test.chanceSurprise < BELOW_CHANCE_SURPRISE || test.amountDispersion > test.usualAmountDispersion) return Number.NaN;
  return Math.max(test.chanceSurprise, test.amountSurprise);
}

function reportRegular(context: DetectorContext, from: number, to: number, strength: number, alsoSurge = false): void {
  context.findings.report('too-regular', { from: from * CELL_MS, to: to * CELL_MS, strength }, (start, stop) =>
    describeRegularity(context, start, stop, alsoSurge),
  );
}

/**
 * A surge's pace must be more even than chance allows once in a hundred: the windows fitted
 * to one surge of independent donors are many, and one of them beats 1 in 20 by luck.
 */
const STEADY_SURGE_SURPRISE = 2;

/**
 * A surge in the pot's quiet hours, already unlikely by its size and shape (`surge`, as
 * −log10), that also grew more evenly than chance: a steady stream. Under honesty the two
 * pieces of evidence are independent (whatever a wave's size, chance makes its pace ragged),
 * so their strengths add; a sparse or coarsely polled stream, too short on its own to beat
 * the many windows a day of regularity tests, is then seen for what it is.
 */
export function reportSteadySurge(context: DetectorContext, from: number, to: number, surge: number): void {
  const steadiness = evenness(regularityTest(context, from, to));
  if (steadiness >= STEADY_SURGE_SURPRISE) reportRegular(context, from, to, surge + steadiness, true);
}

export const tooRegular: DetectorDefinition = {
  kind: 'too-regular',
  create: (context) => ({ onCellClosed: (end) => checkRegularity(context, end) }),
};

/** `alsoSurge`: the score weighs the rise's size and shape as a night surge's with its evenness. */
function describeRegularity(context: DetectorContext, from: number, to: number, alsoSurge: boolean): SuggestionEvidence {
  const first = from / CELL_MS;
  const last = to / CELL_MS;
  const test = regularityTest(context, first, last);
  const totals = totalsWithExpectation(context, first, last);
  const rate = totals.exposureMs > 0 ? totals.contributors / totals.exposureMs : Number.NaN;
  const usualRate = totals.expectedExposure > 0 ? totals.expected / totals.exposureMs : Number.NaN;
  const ratio = rate / usualRate;
  const dayBefore = test ? spreadOf(context, first - DAY / CELL_MS, last - DAY / CELL_MS, (test.unitMinutes * MINUTE) / CELL_MS) : null;
  const gift = totals.contributors > 0 ? totals.amountMinor / totals.contributors : Number.NaN;
  const amountChanceCv = test ? test.chanceCv * Math.sqrt(test.usualAmountDispersion) : Number.NaN;

  const sentencesEn = [
    `+${en.count(perHour(rate))} contributors/h from ${en.span(from, to)}` +
      (Number.isFinite(ratio) ? `, ${en.times(ratio)} this pot's usual for those hours (${en.count(perHour(usualRate))}/h).` : '.'),
  ];
  const sentencesFr = [
    `+${fr.count(perHour(rate))} contributeurs/h, ${fr.span(from, to)}` +
      (Number.isFinite(ratio) ? `, ${fr.times(ratio)} l'habitude de cette cagnotte à ces heures (${fr.count(perHour(usualRate))}/h).` : '.'),
  ];
  if (test) {
    sentencesEn.push(
      `Per-${test.unitMinutes}-min increments vary ${en.percent(test.contributorsCv)} (contributors) and ` +
        `${en.percent(test.amountCv)} (amount), where independent donors at this rate would vary at least ` +
        `${en.percent(test.chanceCv)} and ${en.percent(amountChanceCv)}, giving this pot's usual mix of gifts` +
        (dayBefore ? `; the same hours the day before varied ${en.percent(dayBefore.contributorsCv)}.` : '.'),
    );
    sentencesFr.push(
      `Par tranches de ${test.unitMinutes} min, les hausses varient de ${fr.percent(test.contributorsCv)} (contributeurs) et de ` +
        `${fr.percent(test.amountCv)} (montant), quand des donateurs indépendants à ce rythme varieraient d'au moins ` +
        `${fr.percent(test.chanceCv)} et ${fr.percent(amountChanceCv)}, avec les dons habituels de cette cagnotte` +
        (dayBefore ? ` ; les mêmes heures la veille variaient de ${fr.percent(dayBefore.contributorsCv)}.` : '.'),
    );
  }
  if (alsoSurge) {
    sentencesEn.push(
      "It is also a rise in the pot's quiet hours that did not fade as a media wave does; its score weighs both: " +
        'a surge that size and shape, and a pace that even.',
    );
    sentencesFr.push(
      "C'est aussi une hausse dans les heures calmes de la cagnotte, qui ne s'est pas estompée comme une vague médiatique ; " +
        'son score tient compte des deux : une hausse de cette taille et de cette forme, et un rythme aussi régulier.',
    );
  }
  sentencesEn.push(
    `Average gift ${en.money(gift, context.currency)}. Growth this even is what automated contributions produce, ` +
      'and also what a queue processed at a fixed pace produces.',
  );
  sentencesFr.push(
    `Don moyen ${fr.money(gift, context.currency)}. Une croissance aussi régulière est ce que produisent des contributions automatisées, ` +
      "et aussi une file d'attente traitée à cadence fixe.",
  );
  return {
    summary: sentencesEn.join(' '),
    summaryFr: sentencesFr.join(' '),
    contributorsPerHour: round(perHour(rate), 1),
    usualContributorsPerHour: round(perHour(usualRate), 1),
    rateRatio: round(ratio, 2),
    unitMinutes: test?.unitMinutes ?? null,
    contributorsCv: round(test?.contributorsCv ?? Number.NaN, 4),
    amountCv: round(test?.amountCv ?? Number.NaN, 4),
    chanceCv: round(test?.chanceCv ?? Number.NaN, 4),
    amountChanceCv: round(amountChanceCv, 4),
    dayBeforeCv: round(dayBefore?.contributorsCv ?? Number.NaN, 4),
    contributorsDispersion: round(test?.contributorsDispersion ?? Number.NaN, 4),
    amountDispersion: round(test?.amountDispersion ?? Number.NaN, 4),
    averageGiftMinor: round(gift, 0),
    judgedAsNightSurge: alsoSurge,
    contributors: totals.contributors,
    amountMinor: totals.amountMinor,
  };
}

/** The day before may be too quiet for the test proper; its spread is still worth showing. */
function spreadOf(context: DetectorContext, from: number, to: number, cellsPerUnit: number) {
  const rates: number[] = [];
  let unit = 0;
  let exposure = 0;
  let cellsInUnit = 0;
  for (const cell of context.cells.range(from, to)) {
    unit += cell.contributors;
    exposure += cell.exposureMs;
    if (++cellsInUnit < cellsPerUnit) continue;
    if (exposure > 0) rates.push((unit / exposure) * cellsPerUnit * CELL_MS);
    unit = exposure = cellsInUnit = 0;
  }
  if (rates.length < 4) return null;
  const mean = rates.reduce((sum, value) => sum + value, 0) / rates.length;
  if (mean <= 0) return null;
  const variance = rates.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (rates.length - 1);
  return { contributorsCv: Math.sqrt(variance) / mean };
}

interface TotalsWithExpectation {
  contributors: number;
  amountMinor: number;
  exposureMs: number;
  /** Contributors the pot's usual rate for those hours predicts over the same exposure. */
  expected: number;
  expectedExposure: number;
}

function totalsWithExpectation(context: DetectorContext, from: number, to: number): TotalsWithExpectation {
  const totals = { contributors: 0, amountMinor: 0, exposureMs: 0, expected: 0, expectedExposure: 0 };
  for (const cell of context.cells.range(from, to)) {
    totals.contributors += cell.contributors;
    totals.amountMinor += cell.amountMinor;
    totals.exposureMs += cell.exposureMs;
    const rate = context.baseline.expectedRate(cell.start);
    if (Number.isFinite(rate)) {
      totals.expected += rate * cell.exposureMs;
      totals.expectedExposure += cell.exposureMs;
    }
  }
  return totals;
}
