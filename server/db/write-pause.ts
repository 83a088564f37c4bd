import { isLockError, StorageBusyError } from './storage-errors.js';

/**
 * better-sqlite3 is synchronous: while a write waits for a lock held by another process
 * (the busy timeout), the whole server waits with it, viewers included. After one such
 * wait has failed, further writes fail at once for `pauseMs`, so that a storm of webhooks
 * against a stuck lock costs one busy timeout per pause instead of one per request.
 */
export class WritePause {
  private until = 0;

  constructor(
    private readonly pauseMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws a `StorageBusyError` while writes are paused. */
  check(): void {
    const left = this.until - this.now();
    if (left > 0) throw new StorageBusyError(left);
  }

  /** Hears of a failed write: a lock held elsewhere pauses the next ones. */
  failed(error: unknown): void {
    if (isLockError(error)) this.until = this.now() + this.pauseMs;
  }
}
