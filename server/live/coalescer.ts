interface Pending<T> {
  lastSentAt: number;
  value: T | undefined;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Turns a burst of updates per key into at most one delivery per interval: the first update
 * after a quiet interval goes out at once, later ones are merged and go out when the interval
 * is over.
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
      entry = { lastSentAt: 0, value: undefined, timer: undefined };
      this.keys.set(key, entry);
    }
    entry.value = entry.value === undefined ? value : this.merge(entry.value, value);
    if (entry.timer) return;
    const wait = entry.lastSentAt + this.intervalMs - Date.now();
    if (wait <= 0) this.flush(key, entry);
    else entry.timer = setTimeout(() => this.flush(key, entry), wait);
  }

  /** Delivers what is pending at once and accepts nothing more. */
  close(): void {
    for (const [key, entry] of this.keys) this.flush(key, entry);
    this.closed = true;
  }

  private flush(key: string, entry: Pending<T>): void {
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = undefined;
    const { value } = entry;
    if (value === undefined) return;
    entry.value = undefined;
    entry.lastSentAt = Date.now();
    this.deliver(key, value);
  }
}
