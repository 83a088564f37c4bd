import type { Reading } from '../../shared/types.js';
import type { Database } from './database.js';
import { transaction } from './transaction.js';

export interface Contribution {
  id: string;
  at: number;
  amountMinor?: number;
  name?: string;
  message?: string;
}

interface ReadingRow {
  at: number;
  amount_minor: number;
  contributors: number;
}

const toReading = (row: ReadingRow): Reading => ({
  at: row.at,
  amountMinor: row.amount_minor,
  contributors: row.contributors,
});

/** Prepared statements over the readings and contributions tables. */
export class ReadingsRepository {
  private readonly insertReading;
  private readonly insertContribution;
  private readonly selectLatest;
  private readonly selectFirst;
  private readonly selectCount;
  private readonly selectAtOrBefore;
  private readonly selectFirstAfter;
  private readonly selectExists;
  private readonly selectFirstInRange;
  private readonly selectLastInRange;
  private readonly selectRange;
  private readonly deleteReadings;
  private readonly deleteContributions;

  constructor(private readonly db: Database) {
    this.insertReading = db.prepare(
      'INSERT INTO readings (pot_id, at, amount_minor, contributors) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
    );
    this.insertContribution = db.prepare(
      `INSERT INTO contributions (pot_id, id, at, amount_minor, name, message) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    );
    const columns = 'at, amount_minor, contributors';
    this.selectLatest = db.prepare<[string], ReadingRow>(
      `SELECT ${columns} FROM readings WHERE pot_id = ? ORDER BY at DESC LIMIT 1`,
    );
    this.selectFirst = db.prepare<[string], ReadingRow>(
      `SELECT ${columns} FROM readings WHERE pot_id = ? ORDER BY at ASC LIMIT 1`,
    );
    this.selectCount = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM readings WHERE pot_id = ?');
    this.selectAtOrBefore = db.prepare<[string, number], ReadingRow>(
      `SELECT ${columns} FROM readings WHERE pot_id = ? AND at <= ? ORDER BY at DESC LIMIT 1`,
    );
    this.selectFirstAfter = db.prepare<[string, number], ReadingRow>(
      `SELECT ${columns} FROM readings WHERE pot_id = ? AND at > ? ORDER BY at ASC LIMIT 1`,
    );
    this.selectExists = db.prepare<[string, number], { found: number }>(
      'SELECT 1 AS found FROM readings WHERE pot_id = ? AND at = ?',
    );
    this.selectFirstInRange = db.prepare<[string, number, number], ReadingRow>(
      `SELECT ${columns} FROM readings WHERE pot_id = ? AND at >= ? AND at < ? ORDER BY at ASC LIMIT 1`,
    );
    this.selectLastInRange = db.prepare<[string, number, number], ReadingRow>(
      `SELECT ${columns} FROM readings WHERE pot_id = ? AND at >= ? AND at < ? ORDER BY at DESC LIMIT 1`,
    );
    this.selectRange = db.prepare<[string, number, number, number], ReadingRow>(
      `SELECT ${columns} FROM readings WHERE pot_id = ? AND at >= ? AND at <= ? ORDER BY at ASC LIMIT ?`,
    );
    this.deleteReadings = db.prepare('DELETE FROM readings WHERE pot_id = ?');
    this.deleteContributions = db.prepare('DELETE FROM contributions WHERE pot_id = ?');
  }

  /** Inserts readings, skipping any already stored at the same instant. Returns the new ones. */
  insert(potId: string, readings: readonly Reading[]): Reading[] {
    const inserted: Reading[] = [];
    for (const reading of readings) {
      const { changes } = this.insertReading.run(potId, reading.at, reading.amountMinor, reading.contributors);
      if (changes === 1) inserted.push(reading);
    }
    return inserted;
  }

  insertContributions(potId: string, contributions: readonly Contribution[]): number {
    let inserted = 0;
    for (const c of contributions) {
      inserted += this.insertContribution.run(
        potId,
        c.id,
        c.at,
        c.amountMinor ?? null,
        c.name ?? null,
        c.message ?? null,
      ).changes;
    }
    return inserted;
  }

  latest(potId: string): Reading | undefined {
    const row = this.selectLatest.get(potId);
    return row && toReading(row);
  }

  first(potId: string): Reading | undefined {
    const row = this.selectFirst.get(potId);
    return row && toReading(row);
  }

  count(potId: string): number {
    return this.selectCount.get(potId)!.n;
  }

  atOrBefore(potId: string, at: number): Reading | undefined {
    const row = this.selectAtOrBefore.get(potId, at);
    return row && toReading(row);
  }

  /** The earliest reading dated after `at`. */
  firstAfter(potId: string, at: number): Reading | undefined {
    const row = this.selectFirstAfter.get(potId, at);
    return row && toReading(row);
  }

  has(potId: string, at: number): boolean {
    return this.selectExists.get(potId, at) !== undefined;
  }

  /** The earliest reading in [from, to). */
  firstIn(potId: string, from: number, to: number): Reading | undefined {
    const row = this.selectFirstInRange.get(potId, from, to);
    return row && toReading(row);
  }

  /** The latest reading in [from, to). */
  lastIn(potId: string, from: number, to: number): Reading | undefined {
    const row = this.selectLastInRange.get(potId, from, to);
    return row && toReading(row);
  }

  /** Up to `limit` readings in [from, to], oldest first. */
  range(potId: string, from: number, to: number, limit: number): Reading[] {
    return this.selectRange.all(potId, from, to, limit).map(toReading);
  }

  /** Removes a pot's whole history (used when a replay starts over). */
  clear(potId: string): void {
    transaction(this.db, () => {
      this.deleteContributions.run(potId);
      this.deleteReadings.run(potId);
    });
  }
}
