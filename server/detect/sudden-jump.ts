import type { SuggestionEvidence } from '../../shared/suggestions.js';
import { MINUTE } from '../../shared/time.js';
import { CELL_MS, sumCells, type Cell, type Step } from './cells.js';
import type { DetectorContext } from './detector-context.js';
import { en, fr, round } from './evidence-format.js';
import { log10CountUpperTail } from './statistics.js';
import { CANDIDATE_STRENGTH, JUMP_MIN_WORTH_MS } from './thresholds.js';
import type { DetectorDefinition } from './detector.js';

const BEFORE_CELLS = 12;
/** The rate after a jump tells a step (back to normal) from a rise (a media wave, a goal rush). */
const AFTER_CELLS = 6;
/** A jump straddling two cells is judged on both; the rate after starts past them. */
const DECISION_DELAY_CELLS = AFTER_CELLS + 2;
const MIN_BEFORE_EXPOSURE_MS = 30 * MINUTE;
/**
 * When the rate after is this many times the rate before, the pot is rising (a burst
 * starting): a burst's first minutes outrun its average, most of all as a coarse poller
 * sees them, so a jump there must be worth twice as much of the pot's activity.
 */
const RISE_RATIO = 2;
const RISING_WORTH_FACTOR = 2;
const MIN_AFTER_EXPOSURE_MS = 10 * MINUTE;

interface JumpTest {
  contributors: number;
  amountMinor: number;
  exposureMs: number;
  rateBefore: number;
  rateAfter: number;
  /**
   * The rate that would explain the most: the higher of before and after, each counted with
   * one contributor more than seen, so that a quiet hour's "zero per hour" is not taken as
   * certain and a small pot's few gifts at once are not called a jump.
   */
  reference: number;
  excess: number;
  surprise: number;
  step: Step | null;
}

/** Judges cell `index` (alone, and with the next one) once the cells after it are known. */
function checkSuddenJump(context: DetectorContext, index: number): void {
  const test = jumpTest(context, index);
  if (!test) return;
  const minWorthMs = test.rateAfter > RISE_RATIO * test.rateBefore ? RISING_WORTH_FACTOR * JUMP_MIN_WORTH_MS : JUMP_MIN_WORTH_MS;
  if (test.excess < test.reference * minWorthMs || test.surprise < CANDIDATE_STRENGTH) return;
  const from = test.step?.from ?? index * CELL_MS;
  const to = test.step?.to ?? (index + 1) * CELL_MS;
  context.findings.report('sudden-jump', { from, to, strength: test.surprise }, () => describeJump(context, test, from, to));
}

export const suddenJump: DetectorDefinition = {
  kind: 'sudden-jump',
  explainedBy: ['freeze-catch-up'],
  create(context) {
    let lastEnd = Number.NaN;
    return {
      onCellClosed(end) {
        lastEnd = end;
        checkSuddenJump(context, end - DECISION_DELAY_CELLS);
      },
      /** The last cells are judged on what came after them, however little. */
      flush() {
        for (let index = lastEnd - DECISION_DELAY_CELLS + 1; index < lastEnd; index++) checkSuddenJump(context, index);
      },
    };
  },
};

function jumpTest(context: DetectorContext, index: number): JumpTest | null {
  const { cells, baseline } = context;
  const dispersion = Number.isNaN(baseline.dispersion()) ? 1 : baseline.dispersion();
  const cell = cells.get(index);
  if (!cell || cell.gap || cell.contributors === 0) return null;
  const before = sumCells(cells.range(index - BEFORE_CELLS, index));
  const after = sumCells(cells.range(index + 2, index + 2 + AFTER_CELLS));
  context.count(BEFORE_CELLS + AFTER_CELLS);
  if (before.exposureMs < MIN_BEFORE_EXPOSURE_MS || after.exposureMs < MIN_AFTER_EXPOSURE_MS) return null;
  const rateBefore = before.contributors / before.exposureMs;
  const rateAfter = after.contributors / after.exposureMs;
  const reference = Math.max((before.contributors + 1) / before.exposureMs, (after.contributors + 1) / after.exposureMs);
  const next = cells.get(index + 1);
  const candidates: Cell[][] = [[cell]];
  if (next && !next.gap) candidates.push([cell, next]);
  let best: JumpTest | null = null;
  for (const group of candidates) {
    const totals = sumCells(group);
    const expected = reference * totals.exposureMs;
    const test: JumpTest = {
      contributors: totals.contributors,
      amountMinor: totals.amountMinor,
      exposureMs: totals.exposureMs,
      rateBefore,
      rateAfter,
      reference,
      excess: totals.contributors - expected,
      surprise: -log10CountUpperTail(totals.contributors, expected, dispersion),
      step: largestStep(group),
    };
    if (!best || test.surprise > best.surprise) best = test;
  }
  if (best?.step && best.step.contributors < best.excess / 2) best.step = null;
  return best;
}

function largestStep(cells: readonly Cell[]): Step | null {
  let largest: Step | null = null;
  for (const cell of cells) {
    if (cell.largestStep && (!largest || cell.largestStep.contributors > largest.contributors)) largest = cell.largestStep;
  }
  return largest;
}

function describeJump(context: DetectorContext, test: JumpTest, from: number, to: number): SuggestionEvidence {
  const step = test.step;
  const added = step?.contributors ?? test.contributors;
  const addedAmount = step?.amountMinor ?? test.amountMinor;
  const worthMs = test.excess / test.reference;
  const perMinute = (rate: number) => round(rate * MINUTE, rate * MINUTE < 1 ? 2 : 1)!;
  const ratio = test.contributors / (test.reference * test.exposureMs);
  return {
    summary:
      `${step ? 'One reading' : 'Readings'} from ${en.span(from, to)} added ` +
      `+${en.count(added)} contributors (+${en.money(addedAmount, context.currency)}) in ${en.duration(to - from)}, ` +
      `${en.times(ratio)} what the rate before (${en.decimal(perMinute(test.rateBefore))}/min) ` +
      `and after (${en.decimal(perMinute(test.rateAfter))}/min) explains: about ${en.duration(worthMs)} of this pot's activity at once.`,
    summaryFr:
      `${step ? 'Un seul relevé' : 'Les relevés'}, ${fr.span(from, to)}, ${step ? 'a' : 'ont'} ajouté ` +
      `+${fr.count(added)} contributeurs (+${fr.money(addedAmount, context.currency)}) en ${fr.duration(to - from)}, ` +
      `${fr.times(ratio)} ce qu'expliquent le rythme d'avant (${fr.decimal(perMinute(test.rateBefore))}/min) ` +
      `et celui d'après (${fr.decimal(perMinute(test.rateAfter))}/min) : environ ${fr.duration(worthMs)} de l'activité de cette cagnotte d'un coup.`,
    contributorsAdded: added,
    amountAddedMinor: addedAmount,
    contributorsPerMinuteBefore: round(test.rateBefore * MINUTE, 2),
    contributorsPerMinuteAfter: round(test.rateAfter * MINUTE, 2),
    excessContributors: Math.round(test.excess),
    worthMinutes: round(worthMs / MINUTE, 0),
  };
}
