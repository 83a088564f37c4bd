import type { FlagEvent } from '../../../shared/events.js';
import type { PublicFlag } from '../../../shared/flags.js';
import { LiveList } from './live-list.svelte.js';

const byStart = (a: PublicFlag, b: PublicFlag) => a.from - b.from || a.id - b.id;

/**
 * The flags of one pot, kept current by `flag` events. The same class holds the public
 * list and, on a moderator's page, the full one (drafts included).
 */
export class PotFlags<F extends PublicFlag = PublicFlag> extends LiveList<F> {
  constructor(potId: string) {
    super(potId, byStart);
  }

  apply(event: FlagEvent<F>): void {
    this.change(event.potId, event.flag, event.removed === true);
  }
}
