import type { FlagEvent } from '../../../shared/events.js';
import type { PublicFlag } from '../../../shared/flags.js';

const byStart = (a: PublicFlag, b: PublicFlag) => a.from - b.from || a.id - b.id;

/**
 * The flags of one pot, kept current by `flag` events. The same class holds the public
 * list and, on a moderator's page, the full one (drafts included).
 */
export class PotFlags<F extends PublicFlag = PublicFlag> {
  list = $state<F[]>([]);
  /** Events heard while a fetch of the whole list is under way, applied again on top of it. */
  private heardDuringLoad: FlagEvent<F>[] | undefined;

  constructor(readonly potId: string) {}

  /** Replaces the list with a freshly fetched one, without losing events that crossed it. */
  async load(fetchList: () => Promise<readonly F[]>): Promise<void> {
    const heard: FlagEvent<F>[] = [];
    this.heardDuringLoad = heard;
    let flags: readonly F[];
    try {
      flags = await fetchList();
    } finally {
      if (this.heardDuringLoad === heard) this.heardDuringLoad = undefined;
    }
    this.list = [...flags].sort(byStart);
    for (const event of heard) this.apply(event);
  }

  apply(event: FlagEvent<F>): void {
    if (event.potId !== this.potId) return;
    this.heardDuringLoad?.push(event);
    const others = this.list.filter((flag) => flag.id !== event.flag.id);
    this.list = event.removed ? others : [...others, event.flag].sort(byStart);
  }
}
