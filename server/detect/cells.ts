import { MINUTE } from '../../shared/time.js';
import { median } from './statistics.js';

/** Readings are summed into fixed five-minute cells aligned on UTC clock time. */
export const CELL_MS = 5 * MINUTE;

/**
 * What the readings that ended inside one cell added. A step between two readings belongs
 * whole to the cell where it ends, with its duration as exposure, so counts stay exact
 * whatever the sampling and rates are counts divided by exposure.
 */
export interface Cell {
  index: number;
  start: number;
  contributors: number;
  amountMinor: number;
  /** Summed duration of the steps counted here; 0 when no reading ended in the cell. */
  exposureMs: number;
  steps: number;
  /** A gap ended here: its additions are known in total but not when they happened. */
  gap: boolean;
  /** The step that added the most contributors, to place a jump to the reading. */
  largestStep: Step | null;
}

/** What one reading added since the one before it. */
export interface Step {
  from: number;
  to: number;
  contributors: number;
  amountMinor: number;
  /** Readings are missing in between (see SamplingWatch): when the additions happened is unknown. */
  gap: boolean;
}

export const cellIndexOf = (at: number): number => Math.floor((at - 1) / CELL_MS);

export function emptyCell(index: number): Cell {
  return {
    index,
    start: index * CELL_MS,
    contributors: 0,
    amountMinor: 0,
    exposureMs: 0,
    steps: 0,
    gap: false,
    largestStep: null,
  };
}

/** The most recent closed cells, contiguous by index, in a fixed-size ring. */
export class CellRing {
  private readonly slots: Array<Cell | undefined>;
  private first = 0;
  private next = 0;

  constructor(readonly capacity: number) {
    this.slots = new Array<Cell | undefined>(capacity);
  }

  get firstIndex(): number {
    return this.first;
  }

  /** Index after the newest cell. */
  get endIndex(): number {
    return this.next;
  }

  get size(): number {
    return this.next - this.first;
  }

  push(cell: Cell): void {
    if (this.size > 0 && cell.index !== this.next) this.reset(cell.index);
    if (this.size === 0) {
      this.first = cell.index;
      this.next = cell.index;
    }
    this.slots[cell.index % this.capacity] = cell;
    this.next = cell.index + 1;
    if (this.size > this.capacity) this.first = this.next - this.capacity;
  }

  get(index: number): Cell | undefined {
    return index >= this.first && index < this.next ? this.slots[index % this.capacity] : undefined;
  }

  /** Cells in [from, to) that are still held, oldest first. */
  *range(from: number, to: number): Generator<Cell> {
    for (let index = Math.max(from, this.first); index < Math.min(to, this.next); index++) {
      yield this.slots[index % this.capacity]!;
    }
  }

  private reset(index: number): void {
    this.first = index;
    this.next = index;
  }
}

/** Totals over a run of cells. */
export interface CellTotals {
  contributors: number;
  amountMinor: number;
  exposureMs: number;
  gaps: number;
}

/** Adds a step to the cell where it ends; a step over a gap only marks the cell. */
export function addStep(cell: Cell, step: Step): void {
  if (step.gap) {
    cell.gap = true;
    return;
  }
  cell.contributors += step.contributors;
  cell.amountMinor += step.amountMinor;
  cell.exposureMs += step.to - step.from;
  cell.steps++;
  if (!cell.largestStep || step.contributors > cell.largestStep.contributors) cell.largestStep = step;
}

export function sumCells(cells: Iterable<Cell>): CellTotals {
  const totals: CellTotals = { contributors: 0, amountMinor: 0, exposureMs: 0, gaps: 0 };
  for (const cell of cells) {
    totals.contributors += cell.contributors;
    totals.amountMinor += cell.amountMinor;
    totals.exposureMs += cell.exposureMs;
    if (cell.gap) totals.gaps++;
  }
  return totals;
}

/** Two readings further apart than this always leave a gap. */
const MIN_GAP_MS = 15 * MINUTE;
/** ...and so do two readings further apart than this many times the pot's usual polling interval. */
const GAP_INTERVALS = 3;
const REMEMBERED_STEPS = 31;
const RELEARN_EVERY_STEPS = 16;
/** Before this many steps the usual interval is not known yet. */
const MIN_KNOWN_STEPS = 3;

/**
 * How often this pot is read, to tell a gap (readings missing) from a poller that reads
 * every fifteen minutes: a step is a gap when it is far longer than the usual one.
 */
export class SamplingWatch {
  private readonly durations: number[] = [];
  private usual = Number.NaN;
  private steps = 0;

  isGap(durationMs: number): boolean {
    if (this.durations.length < REMEMBERED_STEPS) this.durations.push(durationMs);
    else this.durations[this.steps % REMEMBERED_STEPS] = durationMs;
    if (this.steps++ % RELEARN_EVERY_STEPS === 0 || this.durations.length < RELEARN_EVERY_STEPS) this.usual = median(this.durations);
    if (this.durations.length < MIN_KNOWN_STEPS) return durationMs > MIN_GAP_MS;
    return durationMs > Math.max(MIN_GAP_MS, GAP_INTERVALS * this.usual);
  }

  /** The usual time between two readings, in ms. */
  get usualStepMs(): number {
    return this.usual;
  }
}
