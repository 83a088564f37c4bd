interface Pending<T> {
  lastSentAt: number;
  value: T | undefined;
  timer: NodeJS.Timeout | undefined;
  immediate: NodeJS.Immediate | undefined;
}

/**
 * Turns a burst of updates per key into at most one delivery per interval: the first update
 * after a quiet interval goes out on the next turn of the event loop, later ones are merged
 * and go out when the interval is over. Delivering on the next turn rather than at once lets
 * the caller finish first: a webhook gets its answer without waiting for the fan-out.
 */
export class Coalescer<T> {
  private readonly keys = new Map<string, Pending<T>>();
  private closed = false;

  constructor(
    private readonly intervalMs: number,
    private readonly merge: (pending: T, next: T) => T,
    private readonly deliver: (key: string, value: T) => void,
  ) {}

  push(key: string, value: T): void {
    if (this.closed) return;
    let entry = this.keys.get(key);
    if (!entry) {
      entry = { lastSentAt: 0, value: undefined, timer: undefined, immediate: undefined };
      this.keys.set(key, entry);
    }
    entry.value = entry.value === undefined ? value : this.merge(entry.value, value);
    if (entry.timer || entry.immediate) return;
    const wait = entry.lastSentAt + this.intervalMs - Date.now();
    const pending = entry;
    if (wait <= 0) entry.immediate = setImmediate(() => this.flush(key, pending));
    else entry.timer = setTimeout(() => this.flush(key, pending), wait);
  }

  /** Delivers what is pending at once and accepts nothing more. */
  close(): void {
    for (const [key, entry] of this.keys) this.flush(key, entry);
    this.closed = true;
  }

  private flush(key: string, entry: Pending<T>): void {
    clearTimeout(entry.timer);
    clearImmediate(entry.immediate);
    entry.timer = undefined;
    entry.immediate = undefined;
    const { value } = entry;
    if (value === undefined) return;
    entry.value = undefined;
    entry.lastSentAt = Date.now();
    this.deliver(key, value);
  }
}
