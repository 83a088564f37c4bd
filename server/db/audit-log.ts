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

/** Which entries to read: every field narrows, none is required. */
export interface AuditFilter {
  potId?: string | undefined;
  /** The actor's name (any case), or `cli`. */
  actor?: string | undefined;
  /** An action (`user.role`) or a family of them (`user`). */
  action?: string | undefined;
  /** Epoch ms, inclusive. */
  from?: number | undefined;
  to?: number | undefined;
}

interface FilterParameters {
  potId: string | null;
  actor: string | null;
  action: string | null;
  from: number | null;
  to: number | null;
  before: number;
  limit: number;
}

const toEntry = (row: AuditRow): AuditEntry => ({
  id: row.id,
  at: row.at,
  actor: row.actor,
  action: row.action,
  potId: row.pot_id,
  target: row.target,
  before: parse(row.before),
  after: parse(row.after),
});

/** The append-only trail of moderation actions (triggers in SQLite refuse UPDATE and DELETE). */
export class AuditLog {
  private readonly insert;
  private readonly selectPage;

  constructor(
    db: Database,
    private readonly now: () => number = Date.now,
  ) {
    this.insert = db.prepare(
      'INSERT INTO audit (at, actor, action, pot_id, target, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.selectPage = db.prepare<[FilterParameters], AuditRow>(
      `SELECT * FROM audit
       WHERE id < @before
         AND (@potId IS NULL OR pot_id = @potId)
         AND (@actor IS NULL OR actor = @actor COLLATE NOCASE)
         AND (@action IS NULL OR action = @action OR substr(action, 1, length(@action) + 1) = @action || '.')
         AND (@from IS NULL OR at >= @from)
         AND (@to IS NULL OR at <= @to)
       ORDER BY id DESC LIMIT @limit`,
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

  /** Newest first, `limit` entries with an id below `before` that match the filter. */
  page(query: AuditFilter & { before?: number | undefined; limit: number }): AuditEntry[] {
    return this.selectPage
      .all({
        potId: query.potId ?? null,
        actor: query.actor ?? null,
        action: query.action ?? null,
        from: query.from ?? null,
        to: query.to ?? null,
        before: query.before ?? Number.MAX_SAFE_INTEGER,
        limit: query.limit,
      })
      .map(toEntry);
  }
}
