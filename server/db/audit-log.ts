import type { AuditEntry } from '../../shared/accounts.js';
import type { Database } from './database.js';

export interface AuditRecord {
  actor: string;
  action: string;
  potId?: string | null;
  target?: string | null;
  before?: unknown;
  after?: unknown;
}

interface AuditRow {
  id: number;
  at: number;
  actor: string;
  action: string;
  pot_id: string | null;
  target: string | null;
  before: string | null;
  after: string | null;
}

const parse = (json: string | null): unknown => (json === null ? null : JSON.parse(json));

/** The append-only trail of moderation actions (triggers in SQLite refuse UPDATE and DELETE). */
export class AuditLog {
  private readonly insert;
  private readonly selectPage;
  private readonly selectPotPage;

  constructor(
    db: Database,
    private readonly now: () => number = Date.now,
  ) {
    this.insert = db.prepare(
      'INSERT INTO audit (at, actor, action, pot_id, target, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.selectPage = db.prepare<[number, number], AuditRow>(
      'SELECT * FROM audit WHERE id < ? ORDER BY id DESC LIMIT ?',
    );
    this.selectPotPage = db.prepare<[string, number, number], AuditRow>(
      'SELECT * FROM audit WHERE pot_id = ? AND id < ? ORDER BY id DESC LIMIT ?',
    );
  }

  /** Call inside the transaction that makes the change, so that both land or neither does. */
  record(entry: AuditRecord): void {
    const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));
    this.insert.run(
      this.now(),
      entry.actor,
      entry.action,
      entry.potId ?? null,
      entry.target ?? null,
      json(entry.before),
      json(entry.after),
    );
  }

  /** Newest first, `limit` entries with an id below `before`. */
  page(query: { before?: number; limit: number; potId?: string }): AuditEntry[] {
    const before = query.before ?? Number.MAX_SAFE_INTEGER;
    const rows =
      query.potId === undefined
        ? this.selectPage.all(before, query.limit)
        : this.selectPotPage.all(query.potId, before, query.limit);
    return rows.map((row) => ({
      id: row.id,
      at: row.at,
      actor: row.actor,
      action: row.action,
      potId: row.pot_id,
      target: row.target,
      before: parse(row.before),
      after: parse(row.after),
    }));
  }
}
