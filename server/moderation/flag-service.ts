import type { ModeratorFlag } from '../../shared/flags.js';
import type { CreateFlagInput, UpdateFlagInput } from '../../shared/schemas.js';
import type { AuditLog } from '../db/audit-log.js';
import type { Database } from '../db/database.js';
import type { FlagsRepository } from '../db/flags-repository.js';
import { transaction } from '../db/transaction.js';
import type { FlagBroadcaster } from './flag-broadcaster.js';

/** Who acts: a signed-in user's name (recorded in the flag and the audit trail). */
export interface Actor {
  name: string;
}

/** A change that would leave a flag invalid, naming the field at fault. */
export class FlagInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Every change to flags goes through here: the row and its audit entry are written in one
 * transaction, and viewers are told only after the commit.
 */
export class FlagService {
  private readonly publishingListeners: Array<(flag: ModeratorFlag) => void> = [];

  constructor(
    private readonly db: Database,
    private readonly flags: FlagsRepository,
    private readonly audit: AuditLog,
    private readonly broadcaster: FlagBroadcaster,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Hears of each flag made public (created published, or published later) inside the
   * transaction that writes it, for what must be written with it or not at all (the outbox).
   */
  onPublishing(listener: (flag: ModeratorFlag) => void): void {
    this.publishingListeners.push(listener);
  }

  /** Drafts and notes included: for moderators only. */
  allOfPot(potId: string): ModeratorFlag[] {
    return this.flags.ofPot(potId);
  }

  publishedOfPot(potId: string): ModeratorFlag[] {
    return this.flags.publishedOfPot(potId);
  }

  /**
   * Creates a flag. `origin` says where it came from when not typed by hand (for example
   * "suggestion:42") and is kept in the audit trail.
   */
  create(actor: Actor, potId: string, input: CreateFlagInput, origin?: string): ModeratorFlag {
    if (input.from > input.to) throw new FlagInputError('to', 'to must not be before from');
    const flag = transaction(this.db, () => {
      const created = this.flags.add({
        potId,
        from: input.from,
        to: input.to,
        reason: input.reason,
        note: input.note ?? '',
        published: input.published,
        resolved: false,
        createdBy: actor.name,
        createdAt: this.now(),
      });
      this.audit.record({
        actor: actor.name,
        action: 'flag.create',
        potId,
        target: `flag:${created.id}`,
        after: origin ? { ...created, origin } : created,
      });
      if (created.published) this.published(created);
      return created;
    });
    this.broadcaster.changed(undefined, flag);
    return flag;
  }

  /** Applies a partial change; undefined when there is no such flag. */
  update(actor: Actor, id: number, patch: UpdateFlagInput): ModeratorFlag | undefined {
    const result = transaction(this.db, () => {
      const before = this.flags.get(id);
      if (!before) return undefined;
      const merged: ModeratorFlag = {
        ...before,
        ...definedFields(patch),
        updatedBy: actor.name,
        updatedAt: this.now(),
      };
      if (merged.from > merged.to) {
        throw new FlagInputError(patch.to !== undefined ? 'to' : 'from', 'to must not be before from');
      }
      const after = this.flags.save(merged);
      this.audit.record({ actor: actor.name, action: 'flag.update', potId: before.potId, target: `flag:${id}`, before, after });
      if (after.published && !before.published) this.published(after);
      return { before, after };
    });
    if (!result) return undefined;
    this.broadcaster.changed(result.before, result.after);
    return result.after;
  }

  private published(flag: ModeratorFlag): void {
    for (const listener of this.publishingListeners) listener(flag);
  }

  /** Deletes a flag; returns what was deleted, or undefined when there was no such flag. */
  remove(actor: Actor, id: number): ModeratorFlag | undefined {
    const before = transaction(this.db, () => {
      const existing = this.flags.get(id);
      if (!existing) return undefined;
      this.flags.remove(id);
      this.audit.record({ actor: actor.name, action: 'flag.delete', potId: existing.potId, target: `flag:${id}`, before: existing });
      return existing;
    });
    if (before) this.broadcaster.changed(before, undefined);
    return before;
  }
}

function definedFields(patch: UpdateFlagInput): Partial<ModeratorFlag> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
}
