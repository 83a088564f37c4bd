import type { CellRing, SamplingWatch } from './cells.js';
import type { FindingBook } from './findings.js';
import type { HourlyBaseline } from './hourly-baseline.js';

/** What every detector may read: recent cells, the pot's learned normal, how it is read, and the findings so far. */
export interface DetectorContext {
  readonly cells: CellRing;
  readonly baseline: HourlyBaseline;
  readonly findings: FindingBook;
  readonly sampling: SamplingWatch;
  /** ISO 4217 code for amounts in sentences; plain numbers without it. */
  readonly currency: string | undefined;
  /** Counts elementary steps, to show that the cost of a reading does not grow with history. */
  count(operations: number): void;
}
