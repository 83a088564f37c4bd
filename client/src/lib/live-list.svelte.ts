/**
 * A pot's list of things kept current by events (flags, annotations): each event adds,
 * replaces or (`removed`) takes off one item, in the list's order. Events heard while the whole
 * list is being fetched are applied again on top of what the fetch brings.
 */
export class LiveList<T extends { id: number }> {
  list = $state<T[]>([]);
  private heardDuringLoad: Array<() => void> | undefined;
  /** The events heard by the latest fetch, which stands for that fetch. */
  private latestLoad: Array<() => void> | undefined;

  constructor(
    readonly potId: string,
    private readonly order: (a: T, b: T) => number,
  ) {}

  /**
   * Replaces the list with a freshly fetched one, without losing events that crossed it. A
   * fetch overtaken by a later one is dropped: it may have been answered before what changed.
   */
  async load(fetchList: () => Promise<readonly T[]>): Promise<void> {
    const heard: Array<() => void> = [];
    this.heardDuringLoad = heard;
    this.latestLoad = heard;
    let items: readonly T[];
    try {
      items = await fetchList();
    } finally {
      if (this.heardDuringLoad === heard) this.heardDuringLoad = undefined;
    }
    if (this.latestLoad !== heard) return;
    this.list = [...items].sort(this.order);
    for (const replay of heard) replay();
  }

  change(potId: string, item: T | { id: number }, removed: boolean): void {
    if (potId !== this.potId) return;
    this.heardDuringLoad?.push(() => this.change(potId, item, removed));
    const others = this.list.filter((existing) => existing.id !== item.id);
    this.list = removed ? others : [...others, item as T].sort(this.order);
  }
}
