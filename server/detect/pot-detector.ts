import type { Reading } from '../../shared/types.js';
import { HOUR } from '../../shared/time.js';
import { addStep, cellIndexOf, CellRing, emptyCell, type Cell } from './cells.js';
import type { DetectorContext } from './detector-context.js';
import { DuplicateWatch, type DetectionContribution } from './duplicate-texts.js';
import { FindingBook, type Finding } from './findings.js';
import { FreezeWatch } from './freeze-catch-up.js';
import { HourlyBaseline } from './hourly-baseline.js';
import { checkIdenticalGifts } from './identical-gifts.js';
import { checkNightSurge } from './night-surge.js';
import { checkSuddenJump, JUMP_DECISION_DELAY_CELLS } from './sudden-jump.js';
import { checkRegularity } from './too-regular.js';

export interface DetectOptions {
  /** ISO 4217 code, to write amounts in evidence sentences with their currency. */
  currency?: string;
}

/** Two days of cells: the longest window plus the same hours the day before. */
const RING_CELLS = (48 * HOUR) / (5 * 60_000);

/**
 * Detection for one pot, fed readings as they arrive. Each reading costs a bounded amount
 * of work whatever the history length: readings are summed into five-minute cells, windows
 * are tested as each cell closes, and the pot's normal is kept as running aggregates.
 */
export class PotDetector {
  private readonly cells = new CellRing(RING_CELLS);
  private readonly findings = new FindingBook();
  private readonly baseline = new HourlyBaseline((from, to) => this.findings.overlapping(null, from, to) !== undefined);
  private readonly context: DetectorContext;
  private readonly freeze: FreezeWatch;
  private readonly duplicates: DuplicateWatch;
  private open: Cell | null = null;
  private last: Reading | null = null;
  private counted = 0;

  constructor(options: DetectOptions = {}) {
    this.context = {
      cells: this.cells,
      baseline: this.baseline,
      findings: this.findings,
      currency: options.currency,
      count: (operations) => {
        this.counted += operations;
      },
    };
    this.freeze = new FreezeWatch(this.context);
    this.duplicates = new DuplicateWatch(this.context);
  }

  /** Elementary steps done so far (for the cost-per-reading check). */
  get operations(): number {
    return this.counted + this.baseline.operations;
  }

  /**
   * Feeds readings (oldest first; any at or before the last one is ignored) and the
   * contributions they reflect, each taken in before the first reading at or after it.
   * Returns the findings created or changed.
   */
  push(readings: readonly Reading[], contributions: readonly DetectionContribution[] = []): Finding[] {
    const sorted = [...contributions].sort((a, b) => a.at - b.at);
    let next = 0;
    for (const reading of readings) {
      while (next < sorted.length && sorted[next]!.at <= reading.at) this.duplicates.add(sorted[next++]!);
      this.addReading(reading);
    }
    while (next < sorted.length) this.duplicates.add(sorted[next++]!);
    return this.findings.takeChanges();
  }

  /** Closes what is still open, as at the end of a history. */
  flush(): Finding[] {
    this.freeze.flush();
    if (this.open) {
      const index = this.open.index;
      this.closeCell();
      for (let k = index - JUMP_DECISION_DELAY_CELLS + 1; k <= index; k++) checkSuddenJump(this.context, k);
      this.findings.settle();
    }
    return this.findings.takeChanges();
  }

  private addReading(reading: Reading): void {
    this.counted++;
    const last = this.last;
    if (last && reading.at <= last.at) return;
    this.last = reading;
    const index = cellIndexOf(reading.at);
    if (!last || !this.open) {
      this.open = emptyCell(index);
      return;
    }
    if (index - this.open.index > RING_CELLS) {
      this.closeCell();
      this.open = emptyCell(index);
    }
    while (this.open.index < index) {
      const next = this.open.index + 1;
      this.closeCell();
      this.open = emptyCell(next);
    }
    const step = {
      from: last.at,
      to: reading.at,
      contributors: Math.max(0, reading.contributors - last.contributors),
      amountMinor: Math.max(0, reading.amountMinor - last.amountMinor),
    };
    addStep(this.open, step);
    this.freeze.onStep(step);
  }

  private closeCell(): void {
    const cell = this.open!;
    this.open = null;
    this.cells.push(cell);
    this.baseline.addCell(cell);
    const end = cell.index + 1;
    checkRegularity(this.context, end);
    checkNightSurge(this.context, end);
    checkIdenticalGifts(this.context, end);
    checkSuddenJump(this.context, end - JUMP_DECISION_DELAY_CELLS);
    this.duplicates.check();
    this.findings.settle();
  }
}
