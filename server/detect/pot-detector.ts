import type { SuggestionKind } from '../../shared/suggestions.js';
import type { Reading } from '../../shared/types.js';
import { HOUR } from '../../shared/time.js';
import { Calibration, type CalibrationTable } from './calibration.js';
import { CALIBRATION_TABLE } from './calibration-table.js';
import { addStep, cellIndexOf, CellRing, emptyCell, SamplingWatch, type Cell } from './cells.js';
import type { DetectionContribution, Detector } from './detector.js';
import type { DetectorContext } from './detector-context.js';
import { DETECTORS } from './detectors.js';
import { FindingBook, type Finding } from './findings.js';
import { HourlyBaseline } from './hourly-baseline.js';
import { ALARM_SCORE } from './thresholds.js';

export interface DetectOptions {
  /** ISO 4217 code, to write amounts in evidence sentences with their currency. */
  currency?: string;
  /** The table that turns strengths into scores; the committed one by default. */
  calibration?: CalibrationTable;
  /** Only windows scoring at least this become findings (Infinity: none, to learn a calibration). */
  alarmScore?: number;
  /** Hears every window any detector reports, raised or not. */
  observe?: (kind: SuggestionKind, strength: number, at: number) => void;
}

/** Two days of cells: the longest window plus the same hours the day before. */
const RING_CELLS = (48 * HOUR) / (5 * 60_000);

const EXPLAINED_BY = Object.fromEntries(
  DETECTORS.filter((definition) => definition.explainedBy).map((definition) => [definition.kind, definition.explainedBy!]),
);

/**
 * Detection for one pot, fed readings as they arrive. Each reading costs a bounded amount
 * of work whatever the history length: readings are summed into five-minute cells, the
 * detectors of the registry (detectors.ts) look at them as each cell closes, and the pot's
 * normal is kept as running aggregates.
 */
export class PotDetector {
  private readonly cells = new CellRing(RING_CELLS);
  private readonly findings: FindingBook;
  private readonly baseline = new HourlyBaseline((from, to) => this.findings.overlapping(null, from, to) !== undefined);
  private readonly sampling = new SamplingWatch();
  private readonly detectors: Detector[];
  private open: Cell | null = null;
  private last: Reading | null = null;
  private counted = 0;

  constructor(options: DetectOptions = {}) {
    this.findings = new FindingBook({
      calibration: new Calibration(options.calibration ?? CALIBRATION_TABLE),
      alarmScore: options.alarmScore ?? ALARM_SCORE,
      explainedBy: EXPLAINED_BY,
      observe: options.observe,
    });
    const context: DetectorContext = {
      cells: this.cells,
      baseline: this.baseline,
      findings: this.findings,
      sampling: this.sampling,
      currency: options.currency,
      count: (operations) => {
        this.counted += operations;
      },
    };
    this.detectors = DETECTORS.map((definition) => definition.create(context));
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
      while (next < sorted.length && sorted[next]!.at <= reading.at) this.addContribution(sorted[next++]!);
      this.addReading(reading);
    }
    while (next < sorted.length) this.addContribution(sorted[next++]!);
    return this.findings.takeChanges();
  }

  /** Closes what is still open, as at the end of a history. */
  flush(): Finding[] {
    if (this.open) this.closeCell();
    for (const detector of this.detectors) detector.flush?.();
    this.findings.settle();
    return this.findings.takeChanges();
  }

  private addContribution(contribution: DetectionContribution): void {
    for (const detector of this.detectors) detector.onContribution?.(contribution);
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
      gap: this.sampling.isGap(reading.at - last.at),
    };
    addStep(this.open, step);
    for (const detector of this.detectors) detector.onStep?.(step);
  }

  private closeCell(): void {
    const cell = this.open!;
    this.open = null;
    this.cells.push(cell);
    this.baseline.addCell(cell);
    for (const detector of this.detectors) detector.onCellClosed?.(cell.index + 1);
    this.findings.settle();
  }
}
