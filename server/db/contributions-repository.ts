import type { Database } from './database.js';
import type { Contribution } from './readings-repository.js';

interface ContributionRow {
  id: string;
  at: number;
  amount_minor: number | null;
  name: string | null;
  message: string | null;
}

const toContribution = (row: ContributionRow): Contribution => ({
  id: row.id,
  at: row.at,
  ...(row.amount_minor === null ? {} : { amountMinor: row.amount_minor }),
  ...(row.name === null ? {} : { name: row.name }),
  ...(row.message === null ? {} : { message: row.message }),
});

/** Reads stored contributions back: by time for detection and moderators, by id for page lists. */
export class ContributionsRepository {
  private readonly selectBetween;
  private readonly selectNewest;
  private readonly selectListed;

  constructor(db: Database) {
    this.selectBetween = db.prepare<[string, number, number, number], ContributionRow>(
      `SELECT id, at, amount_minor, name, message FROM contributions
       WHERE pot_id = ? AND at > ? AND at <= ? ORDER BY at LIMIT ?`,
    );
    this.selectNewest = db.prepare<[string, number, number, number], ContributionRow>(
      `SELECT id, at, amount_minor, name, message FROM contributions
       WHERE pot_id = ? AND at >= ? AND at <= ? ORDER BY at DESC, id DESC LIMIT ?`,
    );
    // Ids of contributions read from a page list sort newest first (see html-source.ts).
    this.selectListed = db.prepare<[string, number], ContributionRow>(
      `SELECT id, at, amount_minor, name, message FROM contributions
       WHERE pot_id = ? AND id >= 'list:' AND id < 'list;' ORDER BY id DESC LIMIT ?`,
    );
  }

  /** Up to `limit` contributions with `from <= at <= to`, newest first. */
  newest(potId: string, from: number, to: number, limit: number): Contribution[] {
    return this.selectNewest.all(potId, from, to, limit).map(toContribution);
  }

  /** The contributions last read from the pot's page list, newest first. */
  listed(potId: string, limit: number): Contribution[] {
    return this.selectListed.all(potId, limit).map(toContribution);
  }

  /** Up to `limit` contributions with `after < at <= until`, oldest first. */
  between(potId: string, after: number, until: number, limit: number): Contribution[] {
    return this.selectBetween.all(potId, after, until, limit).map(toContribution);
  }
}
