import type { SuggestionEvidence } from '../../shared/suggestions.js';
import { CELL_MS, type Cell } from './cells.js';
import type { DetectorContext } from './detector-context.js';
import { en, fr, perHour, round } from './evidence-format.js';
import { log10NormalLowerTail } from './statistics.js';
import { CANDIDATE_STRENGTH, GIFT_COLLAPSE_SHARE } from './thresholds.js';
import type { DetectorDefinition } from './detector.js';

/** One, two and six hours. */
const WINDOW_CELLS = [12, 24, 72];
const MIN_CELLS_WITH_GIFTS = 8;
/** "Near-constant": most cells, not a few, show the small average. */
const MIN_SMALL_CELL_SHARE = 2 / 3;

interface GiftTest {
  contributors: number;
  amountMinor: number;
  averageGift: number;
  usualGift: number;
  cellsWithGifts: number;
  smallCells: number;
  /** 10th and 90th percentiles of the cells' average gifts. */
  low: number;
  high: number;
  surprise: number;
  /** The cells from the first to the last showing the small average. */
  firstSmall: number;
  lastSmall: number;
}

function giftTest(context: DetectorContext, from: number, to: number): GiftTest | null {
  const usualGift = context.baseline.usualGift();
  const usualCv2 = context.baseline.usualGiftCv2();
  if (!(usualGift > 0) || Number.isNaN(usualCv2)) return null;
  const averages: number[] = [];
  let contributors = 0;
  let amountMinor = 0;
  let smallCells = 0;
  let firstSmall = -1;
  let lastSmall = -1;
  for (const cell of context.cells.range(from, to)) {
    if (cell.gap || cell.contributors === 0) continue;
    contributors += cell.contributors;
    amountMinor += cell.amountMinor;
    const average = cell.amountMinor / cell.contributors;
    averages.push(average);
    if (isSmall(average, usualGift)) {
      smallCells++;
      if (firstSmall < 0) firstSmall = cell.index;
      lastSmall = cell.index;
    }
  }
  context.count(to - from);
  if (averages.length < MIN_CELLS_WITH_GIFTS || contributors === 0) return null;
  const averageGift = amountMinor / contributors;
  const z = (averageGift - usualGift) / (usualGift * Math.sqrt(Math.max(usualCv2, 1e-6) / contributors));
  averages.sort((a, b) => a - b);
  return {
    contributors,
    amountMinor,
    averageGift,
    usualGift,
    cellsWithGifts: averages.length,
    smallCells,
    low: averages[Math.floor(averages.length * 0.1)]!,
    high: averages[Math.ceil(averages.length * 0.9) - 1]!,
    surprise: -log10NormalLowerTail(z),
    firstSmall,
    lastSmall,
  };
}

const isSmall = (average: number, usualGift: number) => average <= usualGift / 2;

/**
 * The average gift per new contributor, cell by cell: when it collapses to a small near-constant
 * amount, many new contributors are giving the same small sum.
 */
function checkIdenticalGifts(context: DetectorContext, end: number): void {
  for (const length of WINDOW_CELLS) {
    const from = end - length;
    if (from < context.cells.firstIndex) continue;
    const test = giftTest(context, from, end);
    if (!test || test.averageGift > GIFT_COLLAPSE_SHARE * test.usualGift) continue;
    if (test.smallCells < MIN_SMALL_CELL_SHARE * test.cellsWithGifts || test.surprise < CANDIDATE_STRENGTH) continue;
    context.findings.report(
      'identical-small-gifts',
      { from: test.firstSmall * CELL_MS, to: (test.lastSmall + 1) * CELL_MS, strength: test.surprise },
      (start, stop) => describeGifts(context, start, stop),
    );
  }
}

export const identicalSmallGifts: DetectorDefinition = {
  kind: 'identical-small-gifts',
  create: (context) => ({ onCellClosed: (end) => checkIdenticalGifts(context, end) }),
};

function describeGifts(context: DetectorContext, from: number, to: number): SuggestionEvidence {
  const test = giftTest(context, from / CELL_MS, to / CELL_MS);
  const cells: Cell[] = [...context.cells.range(from / CELL_MS, to / CELL_MS)];
  const exposure = cells.reduce((sum, cell) => sum + cell.exposureMs, 0);
  const contributors = test?.contributors ?? 0;
  const rate = exposure > 0 ? contributors / exposure : Number.NaN;
  if (!test) return { summary: `Average gift collapsed from ${en.span(from, to)}.`, summaryFr: `Le don moyen s'est effondré : ${fr.span(from, to)}.`, contributors };
  const currency = context.currency;
  const smallShare = test.smallCells / test.cellsWithGifts;
  return {
    summary:
      `From ${en.span(from, to)}, ${en.count(test.contributors)} new contributors (${en.count(perHour(rate))}/h) gave ` +
      `${en.money(test.averageGift, currency)} on average, ${en.times(test.usualGift / test.averageGift)} less than this pot's ` +
      `usual ${en.money(test.usualGift, currency)}; the average gift stayed between ${en.money(test.low, currency)} and ` +
      `${en.money(test.high, currency)} in most 5-min intervals (${en.percent(smallShare)} of them ` +
      'under half the usual). Many new contributors giving the same small sum.',
    summaryFr:
      `${fr.span(from, to)} : ${fr.count(test.contributors)} nouveaux contributeurs (${fr.count(perHour(rate))}/h) ont donné ` +
      `${fr.money(test.averageGift, currency)} en moyenne, ${fr.times(test.usualGift / test.averageGift)} moins que les ` +
      `${fr.money(test.usualGift, currency)} habituels de cette cagnotte ; le don moyen est resté entre ${fr.money(test.low, currency)} et ` +
      `${fr.money(test.high, currency)} dans la plupart des tranches de 5 min (${fr.percent(smallShare)} d'entre elles ` +
      "sous la moitié de l'habitude). Beaucoup de nouveaux contributeurs donnant la même petite somme.",
    contributors: test.contributors,
    contributorsPerHour: round(perHour(rate), 1),
    averageGiftMinor: round(test.averageGift, 0),
    usualGiftMinor: round(test.usualGift, 0),
    lowGiftMinor: round(test.low, 0),
    highGiftMinor: round(test.high, 0),
    smallIntervalShare: round(smallShare, 3),
  };
}
