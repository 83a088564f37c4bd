import type { Database } from './database.js';
import type { Contribution } from './readings-repository.js';

interface ContributionRow {
  id: string;
  at: number;
  amount_minor: number | null;
  name: string | null;
  message: string | null;
}

/** Reads stored contributions back, by time, for detection. */
export class ContributionsRepository {
  private readonly selectBetween;

  constructor(db: Database) {
    this.selectBetween = db.prepare<[string, number, number, number], ContributionRow>(
      `SELECT id, at, amount_minor, name, message FROM contributions
       WHERE pot_id = ? AND at > ? AND at <= ? ORDER BY at LIMIT ?`,
    );
  }

  /** Up to `limit` contributions with `after < at <= until`, oldest first. */
  between(potId: string, after: number, until: number, limit: number): Contribution[] {
    return this.selectBetween.all(potId, after, until, limit).map((row) => ({
      id: row.id,
      at: row.at,
      ...(row.amount_minor === null ? {} : { amountMinor: row.amount_minor }),
      ...(row.name === null ? {} : { name: row.name }),
      ...(row.message === null ? {} : { message: row.message }),
    }));
  }
}
