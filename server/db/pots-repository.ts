import type { PotConfig } from '../config/pot-config.js';
import type { Database } from './database.js';
import { transaction } from './transaction.js';

/** Keeps the pots table in step with the pots file: the file is the source of truth. */
export class PotsRepository {
  constructor(private readonly db: Database) {}

  /** Inserts or updates the configured pots and archives those no longer configured. */
  sync(pots: readonly PotConfig[], now = Date.now()): void {
    const upsert = this.db.prepare(
      `INSERT INTO pots (id, title, currency, goal_minor, source, created_at, archived)
       VALUES (@id, @title, @currency, @goalMinor, @source, @now, 0)
       ON CONFLICT (id) DO UPDATE SET title = excluded.title, currency = excluded.currency,
         goal_minor = excluded.goal_minor, source = excluded.source, archived = 0`,
    );
    const archiveOthers = this.db.prepare(
      `UPDATE pots SET archived = 1 WHERE id NOT IN (SELECT value FROM json_each(?))`,
    );
    transaction(this.db, () => {
      for (const pot of pots) {
        upsert.run({
          id: pot.id,
          title: pot.title,
          currency: pot.currency,
          goalMinor: pot.goalMinor ?? null,
          source: JSON.stringify(publicSourceDescription(pot)),
          now,
        });
      }
      archiveOthers.run(JSON.stringify(pots.map((pot) => pot.id)));
    });
  }
}

/** What may be stored and shown about a source: never its secret. */
export function publicSourceDescription(pot: PotConfig): Record<string, unknown> {
  const { source } = pot;
  switch (source.kind) {
    case 'webhook':
      return { kind: source.kind };
    case 'replay':
      return { kind: source.kind, scenario: source.scenario, speed: source.speed };
    default:
      return { kind: source.kind, url: withoutCredentials(source.url) };
  }
}

/** A URL may carry an API key in its query or user part; only where it points is kept. */
function withoutCredentials(url: string): string {
  const { origin, pathname } = new URL(url);
  return origin + pathname;
}
