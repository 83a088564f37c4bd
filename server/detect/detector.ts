import type { SuggestionKind } from '../../shared/suggestions.js';
import type { Step } from './cells.js';
import type { DetectorContext } from './detector-context.js';

/** A contribution as detection sees it: names and messages are untrusted text, only compared. */
export interface DetectionContribution {
  at: number;
  amountMinor?: number;
  name?: string;
  message?: string;
}

/**
 * One pattern watched on one pot. The pot's detector calls these in time order, each at
 * most once per event, and each must cost a bounded amount of work whatever the history:
 *
 * - `onStep`: two consecutive readings, as what the totals added over how long (a step
 *   marked `gap` spans missing readings: its additions are known in total, not when);
 * - `onContribution`: a contribution (name, amount, message) the source listed, before
 *   the first reading at or after it;
 * - `onCellClosed(end)`: the five-minute cell before index `end` is final; every cell
 *   before it is in `context.cells`, and `context.baseline` has learned the older ones;
 * - `flush`: the history ends; decide on whatever is still being watched.
 *
 * What a detector finds it reports through `context.findings.report(kind, window, describe)`:
 * `window` is the interval ({from, to}, epoch ms) and the `strength` of the evidence
 * (−log10 of the chance of it under the pot's own usual activity, given that the window
 * passed the detector's own tests of shape). Strengths are turned into a common score,
 * "about 1 in N honest pot-days shows this", by the calibration learned on honest pots;
 * only windows rare enough become findings, and `describe(from, to)` then states in plain
 * words and figures what was seen there.
 */
export interface Detector {
  onStep?(step: Step): void;
  onContribution?(contribution: DetectionContribution): void;
  onCellClosed?(end: number): void;
  flush?(): void;
}

export interface DetectorDefinition {
  kind: SuggestionKind;
  /**
   * Kinds that, when their findings cover most of one of this kind's, tell the same story
   * more precisely: this one is then withdrawn (a surge that is metronome-regular is one
   * too-regular stretch; the jump that ends a freeze is its catch-up).
   */
  explainedBy?: readonly SuggestionKind[];
  create(context: DetectorContext): Detector;
}
