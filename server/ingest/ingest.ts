import type { Reading } from '../../shared/types.js';
import type { Database } from '../db/database.js';
import type { Contribution, ReadingsRepository } from '../db/readings-repository.js';

export interface IngestBatch {
  readings: readonly Reading[];
  contributions?: readonly Contribution[];
}

export interface IngestResult {
  /** Readings newly stored. */
  accepted: number;
  /** Readings already stored for the same instant (a replayed delivery). */
  duplicates: number;
}

export type CommittedListener = (potId: string, inserted: readonly Reading[]) => void;
export type ClearedListener = (potId: string) => void;
export type SubmittedListener = (potId: string, result: IngestResult, seconds: number) => void;

/**
 * The one way readings enter the database. A batch is written in one transaction and
 * listeners hear of it only after the commit, so nothing is announced that could be lost.
 */
export class Ingest {
  private readonly listeners: CommittedListener[] = [];
  private readonly clearedListeners: ClearedListener[] = [];
  private readonly submittedListeners: SubmittedListener[] = [];
  private readonly write;

  constructor(
    db: Database,
    private readonly readings: ReadingsRepository,
  ) {
    this.write = db.transaction((potId: string, batch: IngestBatch) => {
      const sorted = [...batch.readings].sort((a, b) => a.at - b.at);
      const inserted = this.readings.insert(potId, sorted);
      if (batch.contributions?.length) this.readings.insertContributions(potId, batch.contributions);
      return inserted;
    });
  }

  onCommitted(listener: CommittedListener): void {
    this.listeners.push(listener);
  }

  onCleared(listener: ClearedListener): void {
    this.clearedListeners.push(listener);
  }

  /** Hears of every batch, stored or not, with the time it took (for metrics). */
  onSubmitted(listener: SubmittedListener): void {
    this.submittedListeners.push(listener);
  }

  /** Removes a pot's whole history; only a replay that starts over does this. */
  clear(potId: string): void {
    this.readings.clear(potId);
    for (const listener of this.clearedListeners) listener(potId);
  }

  submit(potId: string, batch: IngestBatch): IngestResult {
    const started = performance.now();
    const inserted: Reading[] = this.write(potId, batch);
    if (inserted.length > 0) for (const listener of this.listeners) listener(potId, inserted);
    const result = { accepted: inserted.length, duplicates: batch.readings.length - inserted.length };
    const seconds = (performance.now() - started) / 1000;
    for (const listener of this.submittedListeners) listener(potId, result, seconds);
    return result;
  }
}
