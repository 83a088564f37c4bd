import type { Reading } from '../../shared/types.js';
import type { Database } from './database.js';

export const QUARANTINE_STATUSES = ['held', 'released', 'discarded'] as const;
export type QuarantineStatus = (typeof QUARANTINE_STATUSES)[number];
export type QuarantineReasonCode = 'decrease' | 'jump' | 'out_of_order';

/** A reading the guard kept out of the public series, as moderators see it. */
export interface QuarantinedReading extends Reading {
  id: number;
  potId: string;
  reasonCode: QuarantineReasonCode;
  reason: string;
  /** The values exactly as the source gave them, when known. */
  raw: string | null;
  origin: string;
  status: QuarantineStatus;
  receivedAt: number;
  resolvedAt: number | null;
}

export interface NewQuarantinedReading extends Reading {
  reasonCode: QuarantineReasonCode;
  reason: string;
  raw?: string | undefined;
  origin: string;
  status: Exclude<QuarantineStatus, 'released'>;
  receivedAt: number;
}

interface QuarantineRow {
  id: number;
  pot_id: string;
  at: number;
  amount_minor: number;
  contributors: number;
  reason_code: QuarantineReasonCode;
  reason: string;
  raw: string | null;
  origin: string;
  status: QuarantineStatus;
  received_at: number;
  resolved_at: number | null;
}

const toQuarantined = (row: QuarantineRow): QuarantinedReading => ({
  id: row.id,
  potId: row.pot_id,
  at: row.at,
  amountMinor: row.amount_minor,
  contributors: row.contributors,
  reasonCode: row.reason_code,
  reason: row.reason,
  raw: row.raw,
  origin: row.origin,
  status: row.status,
  receivedAt: row.received_at,
  resolvedAt: row.resolved_at,
});

export interface QuarantineQuery {
  status?: QuarantineStatus | undefined;
  /** Only rows with an id below this one (paging, newest first). */
  beforeId?: number | undefined;
  limit?: number | undefined;
}

const MAX_PAGE = 1000;

interface PageParameters {
  potId: string;
  status: QuarantineStatus | null;
  beforeId: number;
  limit: number;
}

/** The quarantined_readings table: what the guard held back, and what became of it. */
export class QuarantineRepository {
  private readonly insertRow;
  private readonly selectHeld;
  private readonly selectExists;
  private readonly selectAtsAfter;
  private readonly selectLastReleased;
  private readonly resolveHeldRows;
  private readonly deleteRows;
  private readonly selectPage;
  private readonly selectById;
  private readonly resolveRow;

  constructor(db: Database) {
    this.insertRow = db.prepare(
      `INSERT INTO quarantined_readings
         (pot_id, at, amount_minor, contributors, reason_code, reason, raw, origin, status, received_at, resolved_at)
       VALUES (@potId, @at, @amountMinor, @contributors, @reasonCode, @reason, @raw, @origin, @status, @receivedAt, @resolvedAt)
       ON CONFLICT DO NOTHING`,
    );
    this.selectHeld = db.prepare<[string], QuarantineRow>(
      `SELECT * FROM quarantined_readings WHERE pot_id = ? AND status = 'held' ORDER BY at ASC`,
    );
    this.selectExists = db.prepare<[string, number], { found: number }>(
      'SELECT 1 AS found FROM quarantined_readings WHERE pot_id = ? AND at = ?',
    );
    this.selectAtsAfter = db.prepare<[string, number], { at: number }>(
      'SELECT at FROM quarantined_readings WHERE pot_id = ? AND at > ?',
    );
    this.selectLastReleased = db.prepare<[string, number], { at: number }>(
      `SELECT at FROM quarantined_readings WHERE pot_id = ? AND status = 'released' AND at <= ? ORDER BY at DESC LIMIT 1`,
    );
    this.resolveHeldRows = db.prepare<[QuarantineStatus, number, string]>(
      `UPDATE quarantined_readings SET status = ?, resolved_at = ? WHERE pot_id = ? AND status = 'held'`,
    );
    this.deleteRows = db.prepare('DELETE FROM quarantined_readings WHERE pot_id = ?');
    this.selectById = db.prepare<[number], QuarantineRow>('SELECT * FROM quarantined_readings WHERE id = ?');
    this.resolveRow = db.prepare<[QuarantineStatus, number, number]>(
      `UPDATE quarantined_readings SET status = ?, resolved_at = ? WHERE id = ? AND status = 'held'`,
    );
    this.selectPage = db.prepare<[PageParameters], QuarantineRow>(
      `SELECT * FROM quarantined_readings
       WHERE pot_id = @potId AND (@status IS NULL OR status = @status) AND id < @beforeId
       ORDER BY id DESC LIMIT @limit`,
    );
  }

  /** Records a held-back reading; a second one at the same instant is ignored (returns false). */
  add(potId: string, reading: NewQuarantinedReading): boolean {
    return (
      this.insertRow.run({
        potId,
        at: reading.at,
        amountMinor: reading.amountMinor,
        contributors: reading.contributors,
        reasonCode: reading.reasonCode,
        reason: reading.reason,
        raw: reading.raw ?? null,
        origin: reading.origin,
        status: reading.status,
        receivedAt: reading.receivedAt,
        resolvedAt: reading.status === 'held' ? null : reading.receivedAt,
      }).changes === 1
    );
  }

  /** The readings waiting for confirmation, oldest first. */
  held(potId: string): QuarantinedReading[] {
    return this.selectHeld.all(potId).map(toQuarantined);
  }

  has(potId: string, at: number): boolean {
    return this.selectExists.get(potId, at) !== undefined;
  }

  /** Instants of quarantined readings dated after `at`. */
  instantsAfter(potId: string, at: number): Set<number> {
    return new Set(this.selectAtsAfter.all(potId, at).map((row) => row.at));
  }

  /** The instant of the newest reading released by a confirmation, up to `at`. */
  lastReleasedAt(potId: string, at: number): number | undefined {
    return this.selectLastReleased.get(potId, at)?.at;
  }

  /** Settles every held reading of a pot: confirmed as the new truth, or dropped. */
  resolveHeld(potId: string, status: Exclude<QuarantineStatus, 'held'>, at: number): number {
    return this.resolveHeldRows.run(status, at, potId).changes;
  }

  byId(id: number): QuarantinedReading | undefined {
    const row = this.selectById.get(id);
    return row && toQuarantined(row);
  }

  /** Settles one held reading; false when it is not held (any more). */
  resolveOne(id: number, status: Exclude<QuarantineStatus, 'held'>, at: number): boolean {
    return this.resolveRow.run(status, at, id).changes === 1;
  }

  clear(potId: string): void {
    this.deleteRows.run(potId);
  }

  /** A page of a pot's quarantined readings, newest first, for moderators. */
  list(potId: string, query: QuarantineQuery = {}): QuarantinedReading[] {
    const limit = Math.min(Math.max(1, query.limit ?? 100), MAX_PAGE);
    return this.selectPage
      .all({ potId, status: query.status ?? null, beforeId: query.beforeId ?? Number.MAX_SAFE_INTEGER, limit })
      .map(toQuarantined);
  }
}
