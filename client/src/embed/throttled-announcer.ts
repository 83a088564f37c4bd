/**
 * Passes text on to a screen-reader live region at most once per interval, so that a pot
 * moving every second does not talk over the article. The newest text is announced when
 * the interval is over; a text equal to the last announced one is not repeated.
 */
export class ThrottledAnnouncer {
  private lastAt = -Infinity;
  private announced: string | undefined;
  private pending: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly announce: (text: string) => void,
    private readonly now: () => number = () => Date.now(),
  ) {}

  offer(text: string): void {
    if (text === this.announced) {
      this.pending = undefined;
      return;
    }
    const wait = this.lastAt + this.intervalMs - this.now();
    if (wait <= 0) {
      this.publish(text);
      return;
    }
    this.pending = text;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      if (this.pending !== undefined) this.publish(this.pending);
    }, wait);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private publish(text: string): void {
    this.pending = undefined;
    this.announced = text;
    this.lastAt = this.now();
    this.announce(text);
  }
}
