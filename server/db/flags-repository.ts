import type { FlagReason, ModeratorFlag } from '../../shared/flags.js';
import type { Database } from './database.js';

interface FlagRow {
  id: number;
  pot_id: string;
  from_at: number;
  to_at: number;
  reason: FlagReason;
  note: string;
  visibility: 'draft' | 'published';
  resolved: 0 | 1;
  created_by: string;
  created_at: number;
  updated_by: string | null;
  updated_at: number | null;
}

const toFlag = (row: FlagRow): ModeratorFlag => ({
  id: row.id,
  potId: row.pot_id,
  from: row.from_at,
  to: row.to_at,
  reason: row.reason,
  resolved: row.resolved === 1,
  note: row.note,
  published: row.visibility === 'published',
  createdBy: row.created_by,
  createdAt: row.created_at,
  updatedBy: row.updated_by,
  updatedAt: row.updated_at,
});

export type NewFlag = Omit<ModeratorFlag, 'id' | 'updatedBy' | 'updatedAt'>;

export class FlagsRepository {
  private readonly insert;
  private readonly update;
  private readonly deleteOne;
  private readonly selectOne;
  private readonly selectPot;
  private readonly selectPublished;

  constructor(db: Database) {
    this.insert = db.prepare(
      `INSERT INTO flags (pot_id, from_at, to_at, reason, note, visibility, resolved, created_by, created_at)
       VALUES (@potId, @from, @to, @reason, @note, @visibility, @resolved, @createdBy, @createdAt)`,
    );
    this.update = db.prepare(
      `UPDATE flags SET from_at = @from, to_at = @to, reason = @reason, note = @note, visibility = @visibility,
         resolved = @resolved, updated_by = @updatedBy, updated_at = @updatedAt WHERE id = @id`,
    );
    this.deleteOne = db.prepare('DELETE FROM flags WHERE id = ?');
    this.selectOne = db.prepare<[number], FlagRow>('SELECT * FROM flags WHERE id = ?');
    this.selectPot = db.prepare<[string], FlagRow>('SELECT * FROM flags WHERE pot_id = ? ORDER BY from_at, id');
    this.selectPublished = db.prepare<[string], FlagRow>(
      `SELECT * FROM flags WHERE pot_id = ? AND visibility = 'published' ORDER BY from_at, id`,
    );
  }

  add(flag: NewFlag): ModeratorFlag {
    const { lastInsertRowid } = this.insert.run({
      ...flag,
      visibility: flag.published ? 'published' : 'draft',
      resolved: flag.resolved ? 1 : 0,
    });
    return this.get(Number(lastInsertRowid))!;
  }

  save(flag: ModeratorFlag): ModeratorFlag {
    this.update.run({ ...flag, visibility: flag.published ? 'published' : 'draft', resolved: flag.resolved ? 1 : 0 });
    return this.get(flag.id)!;
  }

  remove(id: number): void {
    this.deleteOne.run(id);
  }

  get(id: number): ModeratorFlag | undefined {
    const row = this.selectOne.get(id);
    return row && toFlag(row);
  }

  /** Every flag of a pot, drafts included, by start time. */
  ofPot(potId: string): ModeratorFlag[] {
    return this.selectPot.all(potId).map(toFlag);
  }

  publishedOfPot(potId: string): ModeratorFlag[] {
    return this.selectPublished.all(potId).map(toFlag);
  }
}
