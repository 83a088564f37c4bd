import { moderationRoom, potRoom } from '../../shared/events.js';
import { toPublicFlag, type ModeratorFlag } from '../../shared/flags.js';
import type { PotwatchIo } from '../live/publisher.js';
import type { ModerationNamespace } from './moderation-namespace.js';

const samePublicFields = (a: ModeratorFlag, b: ModeratorFlag) =>
  a.from === b.from && a.to === b.to && a.reason === b.reason && a.resolved === b.resolved;

/**
 * Tells viewers about a flag change. Moderators (their own namespace) hear everything.
 * The public room hears only what it may see: the public fields of published flags, and a
 * bare removal when a flag it was shown is unpublished or deleted.
 */
export class FlagBroadcaster {
  constructor(
    private readonly io: PotwatchIo,
    private readonly moderators: ModerationNamespace,
  ) {}

  changed(before: ModeratorFlag | undefined, after: ModeratorFlag | undefined): void {
    const flag = after ?? before;
    if (!flag) return;
    const { potId } = flag;
    this.moderators
      .to(moderationRoom(potId))
      .emit('flag', after ? { potId, flag: after } : { potId, flag: { id: flag.id }, removed: true });

    const wasPublic = before?.published === true;
    const isPublic = after?.published === true;
    if (isPublic && (!wasPublic || !samePublicFields(before!, after!))) {
      this.io.to(potRoom(potId)).emit('flag', { potId, flag: toPublicFlag(after!) });
    } else if (wasPublic && !isPublic) {
      this.io.to(potRoom(potId)).emit('flag', { potId, flag: { id: flag.id }, removed: true });
    }
  }
}
