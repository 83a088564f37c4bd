import type { SuggestionEvidence } from '../../shared/suggestions.js';
import { DAY } from '../../shared/time.js';
import { CELL_MS, type Cell } from './cells.js';
import type { DetectorContext } from './detector-context.js';
import { count, money, percent, perHour, round, span, times } from './evidence-format.js';
import { linearTrend, log10ChiSquareLowerTail } from './statistics.js';
import { BELOW_CHANCE_SURPRISE, MIN_SURPRISE } from './thresholds.js';

/**
 * Counting units and window lengths: short units where the pot is busy, hour-long units
 * for a small pot, always enough units for the test to mean something.
 */
const SCALES = [
  { cellsPerUnit: 1, units: 24 },
  { cellsPerUnit: 1, units: 48 },
  { cellsPerUnit: 3, units: 16 },
  { cellsPerUnit: 6, units: 12 },
  { cellsPerUnit: 12, units: 8 },
];
/** Below this many contributors per unit, chance alone makes counts look ragged or even. */
const MIN_MEAN_PER_UNIT = 5;
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
  /** −log10 of the chance that independent donors look this regular. */
  chanceSurprise: number;
  /** −log10 of the chance that this pot's own usual activity, with its usual spread, looks this regular. */
  surprise: number;
}

/** Tests whether the cells in [from, to) grew more evenly than independent donors can. */
export function regularityTest(
  context: DetectorContext,
  from: number,
  to: number,
  cellsPerUnit: number,
): RegularityTest | null {
  const counts: number[] = [];
  const amounts: number[] = [];
  const exposures: number[] = [];
  const positions: number[] = [];
  let unitCount = 0;
  let unitAmount = 0;
  let unitExposure = 0;
  let unitBroken = false;
  let cellsInUnit = 0;
  let expectedUnits = 0;
  for (const cell of context.cells.range(from, to)) {
    unitCount += cell.contributors;
    unitAmount += cell.amountMinor;
    unitExposure += cell.exposureMs;
    unitBroken ||= cell.gap;
    if (++cellsInUnit < cellsPerUnit) continue;
    if (!unitBroken && unitExposure >= (cellsPerUnit * CELL_MS) / 2) {
      counts.push(unitCount);
      amounts.push(unitAmount);
      exposures.push(unitExposure);
      positions.push(expectedUnits);
    }
    expectedUnits++;
    unitCount = unitAmount = unitExposure = cellsInUnit = 0;
    unitBroken = false;
  }
  context.count(to - from);
  if (counts.length < 5 || counts.length < MIN_COVERED_SHARE * expectedUnits) return null;
  let contributors = 0;
  let amountMinor = 0;
  let exposureMs = 0;
  for (let i = 0; i < counts.length; i++) {
    contributors += counts[i]!;
    amountMinor += amounts[i]!;
    exposureMs += exposures[i]!;
  }
  const meanPerUnit = contributors / counts.length;
  if (meanPerUnit < MIN_MEAN_PER_UNIT || amountMinor <= 0) return null;
  const gift = amountMinor / contributors;
  const expectedCounts = linearTrend(counts, exposures, positions);
  const expectedAmounts = linearTrend(amounts, exposures, positions);
  let chiSquare = 0;
  let amountChiSquare = 0;
  for (let i = 0; i < counts.length; i++) {
    chiSquare += (counts[i]! - expectedCounts[i]!) ** 2 / expectedCounts[i]!;
    amountChiSquare += (amounts[i]! - expectedAmounts[i]!) ** 2 / (expectedAmounts[i]! * gift);
  }
  const dof = counts.length - 2;
  const meanAmountPerUnit = amountMinor / counts.length;
  return {
    unitMinutes: (cellsPerUnit * CELL_MS) / 60_000,
    units: counts.length,
    contributors,
    amountMinor,
    exposureMs,
    contributorsCv: Math.sqrt(chiSquare / dof / meanPerUnit),
    amountCv: Math.sqrt((amountChiSquare / dof) * gift / meanAmountPerUnit),
    chanceCv: 1 / Math.sqrt(meanPerUnit),
    contributorsDispersion: chiSquare / dof,
    amountDispersion: amountChiSquare / dof,
    chanceSurprise: -log10ChiSquareLowerTail(chiSquare, dof),
    surprise: -log10ChiSquareLowerTail(chiSquare / usualDispersion(context), dof),
  };
}

/** Honest crowds vary at least as much as pure chance, and usually more: the pot's own spread says how much. */
const usualDispersion = (context: DetectorContext): number => {
  const dispersion = context.baseline.dispersion();
  return Number.isNaN(dispersion) ? 1 : dispersion;
};

/**
 * Independent donors giving this pot's usual mix of gifts make amounts vary at least
 * 1 + CV² of a gift times chance; the amount must be steadier than that too.
 */
const usualAmountDispersion = (context: DetectorContext): number => {
  const giftCv2 = context.baseline.usualGiftCv2();
  return 1 + (Number.isNaN(giftCv2) ? 0 : giftCv2);
};

/**
 * Looks at the windows ending at cell `end` (exclusive) and reports those that are far more
 * regular than the pot's own activity and more regular than independent donors can be.
 */
export function checkRegularity(context: DetectorContext, end: number): void {
  for (const scale of SCALES) {
    const from = end - scale.cellsPerUnit * scale.units;
    if (from < context.cells.firstIndex) continue;
    const test = regularityTest(context, from, end, scale.cellsPerUnit);
    if (!test || test.surprise < MIN_SURPRISE || test.chanceSurprise < BELOW_CHANCE_SURPRISE) continue;
    if (test.amountDispersion > usualAmountDispersion(context)) continue;
    context.findings.report(
      'too-regular',
      { from: from * CELL_MS, to: end * CELL_MS, score: test.surprise },
      (start, stop) => describeRegularity(context, start, stop),
    );
  }
}

function describeRegularity(context: DetectorContext, from: number, to: number): SuggestionEvidence {
  const first = from / CELL_MS;
  const last = to / CELL_MS;
  let test: RegularityTest | null = null;
  for (const scale of SCALES) {
    test = regularityTest(context, first, last, scale.cellsPerUnit);
    if (test) break;
  }
  const cells = [...context.cells.range(first, last)];
  const totals = totalsWithExpectation(context, cells);
  const rate = totals.exposureMs > 0 ? totals.contributors / totals.exposureMs : Number.NaN;
  const usualRate = totals.expectedExposure > 0 ? totals.expected / totals.exposureMs : Number.NaN;
  const ratio = rate / usualRate;
  const dayBefore = test
    ? regularityTestLoose(context, first - DAY / CELL_MS, last - DAY / CELL_MS, (test.unitMinutes * 60_000) / CELL_MS)
    : null;
  const gift = totals.contributors > 0 ? totals.amountMinor / totals.contributors : Number.NaN;

  const sentences = [
    `+${count(perHour(rate))} contributors/h from ${span(from, to)}` +
      (Number.isFinite(ratio) ? `, ${times(ratio)} this pot's usual for those hours (${count(perHour(usualRate))}/h).` : '.'),
  ];
  if (test) {
    sentences.push(
      `Per-${test.unitMinutes}-min increments vary ${percent(test.contributorsCv)} (contributors) and ` +
        `${percent(test.amountCv)} (amount), where independent donors at this rate would vary at least ` +
        `${percent(test.chanceCv)}` +
        (dayBefore ? `; the same hours the day before varied ${percent(dayBefore.contributorsCv)}.` : '.'),
    );
  }
  sentences.push(
    `Average gift ${money(gift, context.currency)}. Growth this even is what automated contributions produce, ` +
      'and also what a queue processed at a fixed pace produces.',
  );
  return {
    summary: sentences.join(' '),
    contributorsPerHour: round(perHour(rate), 1),
    usualContributorsPerHour: round(perHour(usualRate), 1),
    rateRatio: round(ratio, 2),
    unitMinutes: test?.unitMinutes ?? null,
    contributorsCv: round(test?.contributorsCv ?? Number.NaN, 4),
    amountCv: round(test?.amountCv ?? Number.NaN, 4),
    chanceCv: round(test?.chanceCv ?? Number.NaN, 4),
    dayBeforeCv: round(dayBefore?.contributorsCv ?? Number.NaN, 4),
    contributorsDispersion: round(test?.contributorsDispersion ?? Number.NaN, 4),
    amountDispersion: round(test?.amountDispersion ?? Number.NaN, 4),
    averageGiftMinor: round(gift, 0),
    contributors: totals.contributors,
    amountMinor: totals.amountMinor,
  };
}

/** The day before may be too quiet for the test proper; its spread is still worth showing. */
function regularityTestLoose(context: DetectorContext, from: number, to: number, cellsPerUnit: number) {
  const counts: number[] = [];
  let unit = 0;
  let exposure = 0;
  let cellsInUnit = 0;
  for (const cell of context.cells.range(from, to)) {
    unit += cell.contributors;
    exposure += cell.exposureMs;
    if (++cellsInUnit < cellsPerUnit) continue;
    if (exposure > 0) counts.push((unit / exposure) * cellsPerUnit * CELL_MS);
    unit = exposure = cellsInUnit = 0;
  }
  if (counts.length < 4) return null;
  const mean = counts.reduce((sum, value) => sum + value, 0) / counts.length;
  if (mean <= 0) return null;
  const variance = counts.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (counts.length - 1);
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

function totalsWithExpectation(context: DetectorContext, cells: Iterable<Cell>): TotalsWithExpectation {
  const totals = { contributors: 0, amountMinor: 0, exposureMs: 0, expected: 0, expectedExposure: 0 };
  for (const cell of cells) {
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
