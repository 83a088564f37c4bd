import type { Annotation, AnnotationLabel } from '../../shared/annotations.js';
import type { Database } from './database.js';

interface AnnotationRow {
  id: number;
  pot_id: string;
  at: number;
  label: string;
  url: string | null;
}

const toAnnotation = (row: AnnotationRow): Annotation => ({
  id: row.id,
  potId: row.pot_id,
  at: row.at,
  label: JSON.parse(row.label) as AnnotationLabel,
  ...(row.url ? { url: row.url } : {}),
});

export interface NewAnnotation {
  potId: string;
  at: number;
  label: AnnotationLabel;
  url?: string | undefined;
  /** Set for the annotations a replay ships, so that each is added once. */
  origin?: string;
  createdBy: string;
  createdAt: number;
}

/** The annotations table. */
export class AnnotationsRepository {
  private readonly insert;
  private readonly insertOnce;
  private readonly update;
  private readonly deleteOne;
  private readonly selectOne;
  private readonly selectPot;

  constructor(db: Database) {
    const columns = '(pot_id, at, label, url, origin, created_by, created_at) VALUES (@potId, @at, @label, @url, @origin, @createdBy, @createdAt)';
    this.insert = db.prepare(`INSERT INTO annotations ${columns}`);
    this.insertOnce = db.prepare(`INSERT INTO annotations ${columns} ON CONFLICT DO NOTHING`);
    this.update = db.prepare('UPDATE annotations SET at = @at, label = @label, url = @url, updated_by = @updatedBy, updated_at = @updatedAt WHERE id = @id');
    this.deleteOne = db.prepare('DELETE FROM annotations WHERE id = ?');
    this.selectOne = db.prepare<[number], AnnotationRow>('SELECT id, pot_id, at, label, url FROM annotations WHERE id = ?');
    this.selectPot = db.prepare<[string], AnnotationRow>('SELECT id, pot_id, at, label, url FROM annotations WHERE pot_id = ? ORDER BY at, id');
  }

  add(annotation: NewAnnotation): Annotation {
    const { lastInsertRowid } = this.insert.run(this.params(annotation));
    return this.get(Number(lastInsertRowid))!;
  }

  /** Adds an annotation a replay ships unless it is there already; the new one, or undefined. */
  addOnce(annotation: NewAnnotation & { origin: string }): Annotation | undefined {
    const { changes, lastInsertRowid } = this.insertOnce.run(this.params(annotation));
    return changes === 1 ? this.get(Number(lastInsertRowid)) : undefined;
  }

  get(id: number): Annotation | undefined {
    const row = this.selectOne.get(id);
    return row && toAnnotation(row);
  }

  ofPot(potId: string): Annotation[] {
    return this.selectPot.all(potId).map(toAnnotation);
  }

  replace(annotation: Annotation, updatedBy: string, updatedAt: number): void {
    this.update.run({ id: annotation.id, at: annotation.at, label: JSON.stringify(annotation.label), url: annotation.url ?? null, updatedBy, updatedAt });
  }

  remove(id: number): boolean {
    return this.deleteOne.run(id).changes === 1;
  }

  private params(annotation: NewAnnotation) {
    return {
      potId: annotation.potId,
      at: annotation.at,
      label: JSON.stringify(annotation.label),
      url: annotation.url ?? null,
      origin: annotation.origin ?? null,
      createdBy: annotation.createdBy,
      createdAt: annotation.createdAt,
    };
  }
}
