import type {
  DetectedInterval,
  Suggestion,
  SuggestionEvidence,
  SuggestionKind,
  SuggestionStatus,
} from '../../shared/suggestions.js';
import type { Database } from './database.js';
import { transaction } from './transaction.js';

interface SuggestionRow {
  id: number;
  pot_id: string;
  from_at: number;
  to_at: number;
  kind: SuggestionKind;
  score: number;
  evidence: string;
  status: SuggestionStatus;
  flag_id: number | null;
  decided_by: string | null;
}

const toSuggestion = (row: SuggestionRow): Suggestion => ({
  id: row.id,
  potId: row.pot_id,
  from: row.from_at,
  to: row.to_at,
  kind: row.kind,
  score: row.score,
  evidence: JSON.parse(row.evidence) as SuggestionEvidence,
  status: row.status,
  flagId: row.flag_id,
  decidedBy: row.decided_by,
});

/** What storing a detection did: a new suggestion, an updated one, or nothing (already known or decided). */
export type RecordOutcome = { change: 'created' | 'updated'; suggestion: Suggestion } | { change: 'none' };

/**
 * Stored suggestions. A detection overlapping a stored suggestion of the same kind is the
 * same suggestion: a pending one grows to cover it, a dismissed or confirmed one is left
 * as decided, so that a moderator is never asked twice about the same stretch.
 */
export class SuggestionsRepository {
  private readonly selectOverlapping;
  private readonly selectById;
  private readonly selectOfPot;
  private readonly selectPendingOfPot;
  private readonly insertRow;
  private readonly updateRow;
  private readonly deleteRow;
  private readonly decideRow;
  private readonly createdListeners: Array<(suggestion: Suggestion) => void> = [];

  constructor(
    private readonly db: Database,
    private readonly now: () => number = Date.now,
  ) {
    const columns = 'id, pot_id, from_at, to_at, kind, score, evidence, status, flag_id, decided_by';
    this.selectOverlapping = db.prepare<[string, string, number, number], SuggestionRow>(
      `SELECT ${columns} FROM suggestions WHERE pot_id = ? AND kind = ? AND from_at <= ? AND to_at >= ?
       ORDER BY CASE status WHEN 'pending' THEN 1 ELSE 0 END, from_at`,
    );
    this.selectById = db.prepare<[number], SuggestionRow>(`SELECT ${columns} FROM suggestions WHERE id = ?`);
    this.selectOfPot = db.prepare<[string], SuggestionRow>(
      `SELECT ${columns} FROM suggestions WHERE pot_id = ? ORDER BY from_at, id`,
    );
    this.selectPendingOfPot = db.prepare<[string], SuggestionRow>(
      `SELECT ${columns} FROM suggestions WHERE pot_id = ? AND status = 'pending' ORDER BY from_at, id`,
    );
    this.insertRow = db.prepare(
      `INSERT INTO suggestions (pot_id, from_at, to_at, kind, score, evidence, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
    );
    this.updateRow = db.prepare(
      'UPDATE suggestions SET from_at = ?, to_at = ?, score = ?, evidence = ?, updated_at = ? WHERE id = ?',
    );
    this.deleteRow = db.prepare("DELETE FROM suggestions WHERE id = ? AND status = 'pending'");
    this.decideRow = db.prepare(
      "UPDATE suggestions SET status = ?, flag_id = ?, decided_by = ?, updated_at = ? WHERE id = ? AND status = 'pending'",
    );
  }

  /**
   * Hears of each new suggestion inside the transaction that stores it, for what must be
   * written with it or not at all (the outbox).
   */
  onCreated(listener: (suggestion: Suggestion) => void): void {
    this.createdListeners.push(listener);
  }

  /** Stores a detection (see the class comment for how overlaps are handled). */
  record(potId: string, detected: DetectedInterval): RecordOutcome {
    return transaction(this.db, (): RecordOutcome => {
      const overlapping = this.selectOverlapping.all(potId, detected.kind, detected.to, detected.from);
      const decided = overlapping.find((row) => row.status !== 'pending');
      if (decided) return { change: 'none' };
      const pending = overlapping[0];
      const evidence = JSON.stringify(detected.evidence);
      const at = this.now();
      if (!pending) {
        const { lastInsertRowid } = this.insertRow.run(
          potId, detected.from, detected.to, detected.kind, detected.score, evidence, at, at,
        );
        const created = this.get(Number(lastInsertRowid))!;
        for (const listener of this.createdListeners) listener(created);
        return { change: 'created', suggestion: created };
      }
      if (detected.from >= pending.from_at && detected.to <= pending.to_at) return { change: 'none' };
      const from = Math.min(pending.from_at, detected.from);
      const to = Math.max(pending.to_at, detected.to);
      this.updateRow.run(from, to, detected.score, evidence, at, pending.id);
      return { change: 'updated', suggestion: this.get(pending.id)! };
    });
  }

  /** Removes the pending suggestions of `kind` overlapping [from, to]; returns them. */
  withdraw(potId: string, kind: SuggestionKind, from: number, to: number): Suggestion[] {
    return transaction(this.db, () => {
      const removed = this.selectOverlapping
        .all(potId, kind, to, from)
        .filter((row) => row.status === 'pending')
        .map(toSuggestion);
      for (const suggestion of removed) this.deleteRow.run(suggestion.id);
      return removed;
    });
  }

  get(id: number): Suggestion | undefined {
    const row = this.selectById.get(id);
    return row && toSuggestion(row);
  }

  ofPot(potId: string, status: 'pending' | 'all' = 'pending'): Suggestion[] {
    return (status === 'pending' ? this.selectPendingOfPot : this.selectOfPot).all(potId).map(toSuggestion);
  }

  /** Marks a pending suggestion decided; false when it was not pending (already decided or gone). */
  decide(id: number, status: Exclude<SuggestionStatus, 'pending'>, by: string, flagId: number | null = null): boolean {
    return this.decideRow.run(status, flagId, by, this.now(), id).changes === 1;
  }
}
