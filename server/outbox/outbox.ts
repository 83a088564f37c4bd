import type { NewOutboxMessage, OutboxRepository } from '../db/outbox-repository.js';

/**
 * Where everything that leaves the server is queued. `add` belongs inside the transaction of
 * the change that causes the message: if that change is rolled back, so is the message, and
 * once it is committed the message is delivered even if the process dies the next instant.
 */
export class Outbox {
  private readonly addedListeners: Array<() => void> = [];

  constructor(
    private readonly repository: OutboxRepository,
    private readonly now: () => number = Date.now,
  ) {}

  /** Queues a message; returns its delivery id. */
  add(message: NewOutboxMessage): string {
    const deliveryId = this.repository.add(message, this.now());
    for (const listener of this.addedListeners) listener();
    return deliveryId;
  }

  /**
   * Hears that a message was queued. It is called within the transaction: a listener only
   * schedules work for later (the worker looks once the current task is over, after the commit).
   */
  onAdded(listener: () => void): void {
    this.addedListeners.push(listener);
  }
}
