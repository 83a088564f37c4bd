import type { SuggestionEvidence } from '../../shared/suggestions.js';
import { HOUR, MINUTE } from '../../shared/time.js';
import { CELL_MS, cellIndexOf, type Step } from './cells.js';
import type { DetectorContext } from './detector-context.js';
import { en, fr, round } from './evidence-format.js';
import { log10CountUpperTail, log10CountZero } from './statistics.js';
import { CATCH_UP_MIN_SHARE, MIN_FREEZE_MS, MIN_PART_SURPRISE } from './thresholds.js';
import type { DetectorDefinition } from './detector.js';

/**
 * How long after a freeze its catch-up is looked for: a backlog is counted within minutes
 * (or the next poll or two), where the quiet before an honest burst is followed by a rise
 * that takes its time.
 */
const CATCH_UP_WINDOW_MS = 15 * MINUTE;
const CATCH_UP_WINDOW_STEPS = 2.5;
const LEAD_IN_CELLS = 24;

interface FlatRun {
  from: number;
  lastAt: number;
  readings: number;
  /** Time covered by readings that did not change (gaps excluded: no readings is not a freeze). */
  exposureMs: number;
  /** Contributors the pot's usual rate predicts over that time. */
  expected: number;
  lowRate: (at: number) => number;
  highRate: (at: number) => number;
}

interface CatchUp {
  run: FlatRun;
  until: number;
  contributors: number;
  amountMinor: number;
  expected: number;
  /** Totals after each step, to find where the catch-up ends. */
  progress: Array<{ at: number; contributors: number; amountMinor: number; expected: number }>;
}

/**
 * Watches reading by reading for totals that stop moving while the pot should move, then
 * make up the difference at once: a processing backlog being caught up.
 */
export const freezeCatchUp: DetectorDefinition = {
  kind: 'freeze-catch-up',
  create: (context) => new FreezeWatch(context),
};

class FreezeWatch {
  private run: FlatRun | null = null;
  private catchUp: CatchUp | null = null;

  constructor(private readonly context: DetectorContext) {}

  onStep(step: Step): void {
    this.context.count(1);
    const stepMs = step.to - step.from;
    const gap = step.gap;
    if (this.catchUp) this.followCatchUp(step);
    if (step.contributors === 0 && step.amountMinor === 0) {
      this.run ??= this.startRun(step.from);
      if (!this.run) return;
      this.run.lastAt = step.to;
      this.run.readings++;
      if (!gap) {
        this.run.exposureMs += stepMs;
        this.run.expected += this.run.lowRate(step.from) * stepMs;
      }
      return;
    }
    const run = this.run;
    this.run = null;
    if (!run || this.catchUp || run.exposureMs < MIN_FREEZE_MS) return;
    if (-log10CountZero(run.expected, this.dispersion()) < MIN_PART_SURPRISE) return;
    const usualStep = this.context.sampling.usualStepMs;
    const windowMs = Math.max(CATCH_UP_WINDOW_MS, Number.isFinite(usualStep) ? CATCH_UP_WINDOW_STEPS * usualStep : 0);
    this.catchUp = { run, until: run.lastAt + windowMs, contributors: 0, amountMinor: 0, expected: 0, progress: [] };
    this.followCatchUp(step);
  }

  /** Decides on a catch-up still being watched when the history ends. */
  flush(): void {
    if (this.catchUp) this.decide(this.catchUp);
    this.catchUp = null;
  }

  private followCatchUp(step: Step): void {
    const catchUp = this.catchUp!;
    catchUp.contributors += step.contributors;
    catchUp.amountMinor += step.amountMinor;
    catchUp.expected += catchUp.run.highRate(step.from) * (step.to - step.from);
    catchUp.progress.push({ at: step.to, contributors: catchUp.contributors, amountMinor: catchUp.amountMinor, expected: catchUp.expected });
    if (step.to >= catchUp.until) {
      this.decide(catchUp);
      this.catchUp = null;
    }
  }

  /**
   * The catch-up is the prefix of the minutes after the freeze that is least likely for
   * honest activity: a backlog caught up in one reading is judged on that reading, not
   * diluted by the ordinary activity after it. Each part must be unlikely on its own (a long
   * quiet spell before a burst is rare twice over, never once); being independent under
   * honesty, their strengths add, so that a long night freeze on a small pot, barely unlikely
   * by itself, counts with the backlog that ends it.
   */
  private decide(catchUp: CatchUp): void {
    const { run } = catchUp;
    const dispersion = this.dispersion();
    const freezeSurprise = -log10CountZero(run.expected, dispersion);
    let best: { point: CatchUp['progress'][number]; surprise: number } | null = null;
    for (const point of catchUp.progress) {
      this.context.count(1);
      if (point.contributors - point.expected < CATCH_UP_MIN_SHARE * run.expected) continue;
      const surprise = -log10CountUpperTail(point.contributors, point.expected, dispersion);
      if (!best || surprise > best.surprise) best = { point, surprise };
    }
    if (!best || Math.min(freezeSurprise, best.surprise) < MIN_PART_SURPRISE) return;
    const { point } = best;
    const strength = freezeSurprise + best.surprise;
    this.context.findings.report('freeze-catch-up', { from: run.from, to: point.at, strength }, () =>
      describeFreeze(this.context, run, point),
    );
  }

  private dispersion(): number {
    const dispersion = this.context.baseline.dispersion();
    return Number.isNaN(dispersion) ? 1 : dispersion;
  }

  /**
   * The rate the freeze is judged against is the lower of the pot's 24-hour level and its
   * level just before (a freeze must be surprising even if the pot was slowing down); the
   * catch-up is judged against the higher one.
   */
  private startRun(from: number): FlatRun | null {
    const { baseline, cells } = this.context;
    const end = cellIndexOf(from) + 1;
    let leadIn = 0;
    let leadInExposure = 0;
    for (const cell of cells.range(end - LEAD_IN_CELLS, end)) {
      leadIn += cell.contributors;
      leadInExposure += cell.exposureMs * (baseline.hasRhythm() ? baseline.share(cell.start) : 1);
    }
    this.context.count(LEAD_IN_CELLS);
    const leadInLevel = leadInExposure >= HOUR / 2 ? leadIn / leadInExposure : Number.NaN;
    const level = baseline.level();
    const levels = [leadInLevel, level].filter(Number.isFinite);
    if (levels.length === 0) return null;
    const low = Math.min(...levels);
    const high = Math.max(...levels);
    const shape = (at: number) => (baseline.hasRhythm() ? baseline.share(at) : 1);
    return {
      from,
      lastAt: from,
      readings: 1,
      exposureMs: 0,
      expected: 0,
      lowRate: (at) => low * shape(at),
      highRate: (at) => high * shape(at),
    };
  }
}

function describeFreeze(context: DetectorContext, run: FlatRun, point: CatchUp['progress'][number]): SuggestionEvidence {
  const catchUpMs = point.at - run.lastAt;
  const excess = point.contributors - point.expected;
  const flat = run.lastAt - run.from;
  const within = Math.max(catchUpMs, CELL_MS / 5);
  const added = (words: typeof en) => `+${words.count(point.contributors)}`;
  return {
    summary:
      `No change in ${en.count(run.readings)} readings over ${en.duration(flat)} ` +
      `(${en.span(run.from, run.lastAt)}) while this pot's usual rate for those hours predicts about ` +
      `${en.count(run.expected)} new contributors; then ${added(en)} contributors ` +
      `(+${en.money(point.amountMinor, context.currency)}) within ${en.duration(within)}, ` +
      `${en.count(excess)} more than usual. This is what a processing backlog being caught up looks like: ` +
      'contributions queued, then counted late.',
    summaryFr:
      `Aucun changement sur ${fr.count(run.readings)} relevés pendant ${fr.duration(flat)} ` +
      `(${fr.span(run.from, run.lastAt)}) alors que le rythme habituel de cette cagnotte à ces heures prévoit environ ` +
      `${fr.count(run.expected)} nouveaux contributeurs ; puis ${added(fr)} contributeurs ` +
      `(+${fr.money(point.amountMinor, context.currency)}) en ${fr.duration(within)}, ` +
      `${fr.count(excess)} de plus que d'habitude. C'est l'allure d'un arriéré de traitement qu'on rattrape : ` +
      'des contributions mises en attente, puis comptées en retard.',
    flatReadings: run.readings,
    flatMinutes: round((run.lastAt - run.from) / MINUTE, 0),
    expectedContributors: Math.round(run.expected),
    catchUpContributors: point.contributors,
    catchUpAmountMinor: point.amountMinor,
    catchUpMinutes: round(catchUpMs / MINUTE, 0),
    excessContributors: Math.round(excess),
    frozenUntil: new Date(run.lastAt).toISOString(),
  };
}
