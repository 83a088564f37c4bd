import { minorDigits, minorToDecimalString } from '../../shared/money.js';
import { HOUR, MINUTE, SECOND } from '../../shared/time.js';
import type { Reading } from '../../shared/types.js';

/**
 * The guard decides whether a reading may enter a pot's public series.
 *
 * A total that goes down, or rises far beyond the pot's own recent pace, is more often a
 * garbled page, a parsing slip or a platform glitch than news. Such a reading is held back
 * (quarantined) instead of shown. If the following readings agree with it — several in a
 * row, over some minutes, each consistent with the one before — the change is real and the
 * held readings are released into the series as the new truth, so that a pot is never
 * frozen by one odd figure. If a reading consistent with the public series comes first, the
 * held ones were outliers and are discarded. Everything held stays on record for moderators.
 */
export interface GuardPolicy {
  /** A rise is implausible when it is over this many times the pot's recent pace… */
  jumpFactor: number;
  /** …projected over the time between the two readings, but never less than this… */
  minProjectionMs: number;
  /** …and larger than this share of the previous total… */
  headroomShare: number;
  /** …and larger than this many minor units of amount, or this many contributors. */
  headroomAmountMinor: number;
  headroomContributors: number;
  /** The pace is the rise over (at least) this much history before the latest reading. */
  paceWindowMs: number;
  /** Held readings become the new truth after this many agree in a row… */
  confirmReadings: number;
  /** …spanning at least this long from the first to the last. */
  confirmSpanMs: number;
}

export interface GuardOverrides {
  jumpFactor?: number | undefined;
  confirmReadings?: number | undefined;
  confirmSeconds?: number | undefined;
  headroomAmount?: number | undefined;
}

/**
 * The default rule. The headroom lets a small pot take a big gift (a rise of half its total,
 * or of 10,000 units of its currency, is never "implausible"), while the garbles it is
 * meant to catch — a lost decimal separator, cents read as euros — multiply a total by ten
 * or more, or make it go down.
 */
export function guardPolicy(currency: string, overrides: GuardOverrides = {}): GuardPolicy {
  const unit = 10 ** minorDigits(currency);
  return {
    jumpFactor: overrides.jumpFactor ?? 10,
    minProjectionMs: 5 * MINUTE,
    headroomShare: 0.5,
    headroomAmountMinor: Math.round((overrides.headroomAmount ?? 10_000) * unit),
    headroomContributors: 500,
    paceWindowMs: HOUR,
    confirmReadings: overrides.confirmReadings ?? 3,
    confirmSpanMs: (overrides.confirmSeconds ?? 120) * SECOND,
  };
}

export type Figure = 'amount' | 'contributors';
export type GuardIssueCode = 'decrease' | 'jump' | 'out_of_order';

export interface GuardIssue {
  code: GuardIssueCode;
  figure: Figure;
  /** The value it was compared with (minor units for the amount). */
  from: number;
  /** The value of the reading. */
  to: number;
  /** For a jump: the largest rise that was plausible. */
  limit?: number;
}

/** What the guard knows of a pot when a reading arrives. */
export interface GuardView {
  /** The newest reading of the public series. */
  tail: Reading | undefined;
  /** Readings held for confirmation, oldest first, all dated after the tail. */
  held: readonly Reading[];
  /**
   * The public reading from which the pace is measured: the latest one at least a pace
   * window older than the tail (or the oldest), unless a change was confirmed since then:
   * a confirmed jump is a new level, not a pace. Asked only when a rise exceeds the headroom.
   */
  paceBase(): Reading | undefined;
}

export type Verdict =
  /** Into the public series; any held readings were outliers. */
  | { action: 'accept'; discardHeld: boolean }
  /** Held for confirmation; `discardHeld` when it disagrees with the readings held before it. */
  | { action: 'hold'; issue: GuardIssue; discardHeld: boolean }
  /** Held, and with it the held readings are confirmed: all of them enter the series. */
  | { action: 'confirm'; issue: GuardIssue };

/** Judges a reading dated after the pot's newest public reading. */
export function judgeReading(view: GuardView, reading: Reading, policy: GuardPolicy): Verdict {
  const { tail, held } = view;
  const hadHeld = held.length > 0;
  if (!tail) return { action: 'accept', discardHeld: hadHeld };
  const issue = stepIssue(tail, reading, view, policy);
  if (!issue) return { action: 'accept', discardHeld: hadHeld };

  const lastHeld = held[held.length - 1];
  const extendsHeld = lastHeld !== undefined && stepIssue(lastHeld, reading, view, policy) === undefined;
  if (!extendsHeld) return { action: 'hold', issue, discardHeld: hadHeld };
  const agreeing = held.length + 1;
  const span = reading.at - held[0]!.at;
  if (agreeing >= policy.confirmReadings && span >= policy.confirmSpanMs) return { action: 'confirm', issue };
  return { action: 'hold', issue, discardHeld: false };
}

/**
 * Judges a reading dated before the pot's newest public reading (a late delivery or an
 * imported history): it must fit between its neighbours, or the series would stop being
 * cumulative.
 */
export function judgeLateReading(
  before: Reading | undefined,
  after: Reading | undefined,
  reading: Reading,
): GuardIssue | undefined {
  for (const figure of FIGURES) {
    const value = valueOf(reading, figure);
    if (before && value < valueOf(before, figure)) {
      return { code: 'out_of_order', figure, from: valueOf(before, figure), to: value };
    }
    if (after && value > valueOf(after, figure)) {
      return { code: 'out_of_order', figure, from: valueOf(after, figure), to: value };
    }
  }
  return undefined;
}

/** The issue in plain words, e.g. "amount went down from 1400000.50 to 14000.50 EUR". */
export function describeIssue(issue: GuardIssue, currency: string): string {
  const show = (value: number) =>
    issue.figure === 'amount' ? `${minorToDecimalString(value, currency)} ${currency}` : String(value);
  switch (issue.code) {
    case 'decrease':
      return `${issue.figure} went down from ${show(issue.from)} to ${show(issue.to)}`;
    case 'jump':
      return (
        `${issue.figure} jumped from ${show(issue.from)} to ${show(issue.to)}, ` +
        `a rise of ${show(issue.to - issue.from)} where the pot's recent pace allows ${show(issue.limit ?? 0)}`
      );
    case 'out_of_order':
      return `an earlier-dated reading (${issue.figure} ${show(issue.to)}) does not fit between the readings around it`;
  }
}

const FIGURES: readonly Figure[] = ['amount', 'contributors'];

const valueOf = (reading: Reading, figure: Figure): number =>
  figure === 'amount' ? reading.amountMinor : reading.contributors;

/** Why `next` cannot follow `previous` in a cumulative series, if it cannot. */
function stepIssue(previous: Reading, next: Reading, view: GuardView, policy: GuardPolicy): GuardIssue | undefined {
  for (const figure of FIGURES) {
    const from = valueOf(previous, figure);
    const to = valueOf(next, figure);
    if (to < from) return { code: 'decrease', figure, from, to };
    const rise = to - from;
    const headroom = Math.max(
      policy.headroomShare * from,
      figure === 'amount' ? policy.headroomAmountMinor : policy.headroomContributors,
    );
    if (rise <= headroom) continue;
    const projected = policy.jumpFactor * pacePerMs(view, figure) * Math.max(next.at - previous.at, policy.minProjectionMs);
    const limit = Math.floor(Math.max(headroom, projected));
    if (rise > limit) return { code: 'jump', figure, from, to, limit };
  }
  return undefined;
}

function pacePerMs(view: GuardView, figure: Figure): number {
  const { tail } = view;
  const base = view.paceBase();
  if (!tail || !base || tail.at <= base.at) return 0;
  return Math.max(0, valueOf(tail, figure) - valueOf(base, figure)) / (tail.at - base.at);
}
