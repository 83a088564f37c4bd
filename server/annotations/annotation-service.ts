import type { SessionUser } from '../../shared/accounts.js';
import type { CreateAnnotationInput, UpdateAnnotationInput } from '../../shared/annotation-schemas.js';
import { potRoom } from '../../shared/events.js';
import type { Annotation, ShippedAnnotation } from '../../shared/annotations.js';
import type { AnnotationsRepository } from '../db/annotations-repository.js';
import type { AuditLog } from '../db/audit-log.js';
import type { Database } from '../db/database.js';
import { transaction } from '../db/transaction.js';
import type { PotwatchIo } from '../live/publisher.js';

/** A change the service refuses: who may not make it, or what does not exist. */
export class AnnotationRefused extends Error {
  constructor(
    readonly status: 403 | 404,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

const CAN_ANNOTATE = new Set(['moderator', 'admin']);

/**
 * Public context on pots' charts. Moderators and admins add, change and remove annotations;
 * each change is written with its audit entry in one transaction, then sent to the pot's
 * viewers (they are public: everyone hears of them).
 */
export class AnnotationService {
  /** Each pot's annotations, read once: embed pages ask for them at every request. */
  private readonly known = new Map<string, Annotation[]>();

  constructor(
    private readonly db: Database,
    private readonly annotations: AnnotationsRepository,
    private readonly audit: AuditLog,
    private readonly io: PotwatchIo,
    private readonly now: () => number = Date.now,
  ) {}

  ofPot(potId: string): readonly Annotation[] {
    let list = this.known.get(potId);
    if (!list) {
      list = this.annotations.ofPot(potId);
      this.known.set(potId, list);
    }
    return list;
  }

  /** Another process may have changed annotations: read them again when next asked. */
  forget(): void {
    this.known.clear();
  }

  create(actor: SessionUser, potId: string, input: CreateAnnotationInput): Annotation {
    requireAnnotator(actor);
    const annotation = transaction(this.db, () => {
      const created = this.annotations.add({ potId, ...input, createdBy: actor.name, createdAt: this.now() });
      this.audit.record({ actor: actor.name, action: 'annotation.create', potId, target: `annotation:${created.id}`, after: created });
      return created;
    });
    this.tell(potId, annotation);
    return annotation;
  }

  update(actor: SessionUser, id: number, patch: UpdateAnnotationInput): Annotation {
    requireAnnotator(actor);
    const changed = transaction(this.db, () => {
      const before = this.existing(id);
      const { url: _url, ...rest } = before;
      const after: Annotation = {
        ...rest,
        ...(patch.at !== undefined ? { at: patch.at } : {}),
        ...(patch.label !== undefined ? { label: patch.label } : {}),
        ...(patch.url === undefined ? (before.url ? { url: before.url } : {}) : patch.url === null ? {} : { url: patch.url }),
      };
      this.annotations.replace(after, actor.name, this.now());
      this.audit.record({ actor: actor.name, action: 'annotation.update', potId: before.potId, target: `annotation:${id}`, before, after });
      return after;
    });
    this.tell(changed.potId, changed);
    return changed;
  }

  remove(actor: SessionUser, id: number): void {
    requireAnnotator(actor);
    const removed = transaction(this.db, () => {
      const before = this.existing(id);
      this.annotations.remove(id);
      this.audit.record({ actor: actor.name, action: 'annotation.delete', potId: before.potId, target: `annotation:${id}`, before });
      return before;
    });
    this.known.delete(removed.potId);
    this.io.to(potRoom(removed.potId)).emit('annotation', { potId: removed.potId, annotation: { id }, removed: true });
  }

  /** Adds the annotations a replay ships to its pot, each once however often the replay starts. */
  ship(potId: string, origin: string, shipped: readonly ShippedAnnotation[]): void {
    const added = transaction(this.db, () =>
      shipped.flatMap((annotation) => {
        const { key, ...fields } = annotation;
        const created = this.annotations.addOnce({ potId, ...fields, origin: `${origin}:${key}`, createdBy: origin, createdAt: this.now() });
        return created ? [created] : [];
      }),
    );
    for (const annotation of added) this.tell(potId, annotation);
  }

  private existing(id: number): Annotation {
    const annotation = this.annotations.get(id);
    if (!annotation) throw new AnnotationRefused(404, 'annotation_not_found', `there is no annotation ${id}`, 'aid');
    return annotation;
  }

  private tell(potId: string, annotation: Annotation): void {
    this.known.delete(potId);
    this.io.to(potRoom(potId)).emit('annotation', { potId, annotation });
  }
}

function requireAnnotator(actor: SessionUser): void {
  if (!CAN_ANNOTATE.has(actor.role)) throw new AnnotationRefused(403, 'forbidden', 'this needs the moderator or admin role');
}
