import type { Logger } from 'pino';
import { DAY, HOUR, MINUTE, SECOND } from '../../shared/time.js';
import type { OutboxMessage, OutboxRepository } from '../db/outbox-repository.js';
import { backoffDelay } from '../sources/backoff.js';

/** Sends one kind of outbox message (alert webhooks and e-mails, say). Throws with a reason a person can read when it fails. */
export interface OutboxChannel {
  deliver(message: OutboxMessage, signal: AbortSignal): Promise<void>;
}

/** Hears how deliveries go, for the metrics. */
export interface DeliveryObserver {
  delivered(channel: string, secondsSinceQueued: number): void;
  failedTry(channel: string, givenUp: boolean): void;
}

export interface RetryPolicy {
  /** The wait after a first failure (then doubled with each failure, with jitter). */
  firstDelayMs: number;
  maxDelayMs: number;
  /** Tries before a message is given up, until an admin retries it. */
  maxAttempts: number;
}

/**
 * Eight tries over about 15 to 30 minutes: waits of 10-20 s, 20-40 s, … up to 5-10 minutes,
 * so that a receiver restarted or briefly down misses nothing.
 */
export const DEFAULT_RETRY: RetryPolicy = { firstDelayMs: 10 * SECOND, maxDelayMs: 10 * MINUTE, maxAttempts: 8 };

export interface OutboxWorkerOptions {
  repository: OutboxRepository;
  channels: Record<string, OutboxChannel>;
  logger: Logger;
  observer?: DeliveryObserver;
  retry?: RetryPolicy;
  /** Longest a delivery may take before it counts as failed. */
  timeoutMs?: number;
  /** Deliveries under way at once, each to a different target. */
  concurrency?: number;
  /** How often the outbox is read for messages queued by another process, or due again. */
  pollMs?: number;
  /** How long delivered messages are kept for the admins' view. */
  keepDeliveredMs?: number;
  now?: () => number;
  random?: () => number;
}

const DEFAULT_TIMEOUT_MS = 10 * SECOND;
const DEFAULT_CONCURRENCY = 16;
const DEFAULT_POLL_MS = SECOND;
const DEFAULT_KEEP_DELIVERED_MS = 7 * DAY;
const PRUNE_EVERY_MS = HOUR;
/** Longest reason kept for a failed try. */
const MAX_ERROR_LENGTH = 500;

/**
 * Delivers the outbox, at least once. Each target key is a queue: its oldest pending message
 * goes first and the next waits until it is delivered or given up, so that a receiver sees
 * them in order. Targets are served in parallel, each delivery bounded in time, so that a slow
 * or dead receiver holds up only its own queue. Nothing here runs on the path of ingest or
 * broadcasts: the worker reads the outbox when told something was queued, and every second.
 * A message sent but not yet marked delivered when the process dies is sent again after the
 * restart, with the same delivery id.
 */
export class OutboxWorker {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly stopping = new AbortController();
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly concurrency: number;
  private readonly now: () => number;
  private readonly random: () => number;
  private timer: NodeJS.Timeout | undefined;
  private pollQueued = false;
  private lastPruneAt = 0;

  constructor(private readonly options: OutboxWorkerOptions) {
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  start(): void {
    this.timer = setInterval(() => this.poll(), this.options.pollMs ?? DEFAULT_POLL_MS);
    this.wake();
  }

  /** Looks at the outbox as soon as the current task (and its transaction) is over. */
  wake(): void {
    if (this.pollQueued || this.stopping.signal.aborted) return;
    this.pollQueued = true;
    setImmediate(() => {
      this.pollQueued = false;
      this.poll();
    });
  }

  /** Stops: deliveries under way are cut and stay pending, to be sent again at the next start. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.stopping.abort();
    await Promise.allSettled([...this.inFlight.values()]);
  }

  private poll(): void {
    if (this.stopping.signal.aborted) return;
    try {
      this.pruneNow();
      const free = this.concurrency - this.inFlight.size;
      if (free <= 0) return;
      // Queues under way still have their head pending: ask for enough to find `free` others.
      for (const message of this.options.repository.dueHeads(this.now(), free + this.inFlight.size)) {
        if (this.inFlight.size >= this.concurrency) break;
        if (this.inFlight.has(message.targetKey)) continue;
        const delivery = this.deliver(message).finally(() => {
          this.inFlight.delete(message.targetKey);
          this.wake();
        });
        this.inFlight.set(message.targetKey, delivery);
      }
    } catch (error) {
      this.options.logger.error({ err: error }, 'the outbox could not be read; trying again shortly');
    }
  }

  private async deliver(message: OutboxMessage): Promise<void> {
    const channel = this.options.channels[message.channel];
    let failure: string | undefined;
    const attempt = new AbortController();
    const stop = () => attempt.abort();
    this.stopping.signal.addEventListener('abort', stop, { once: true });
    const timer = setTimeout(() => attempt.abort(), this.timeoutMs);
    try {
      if (!channel) throw new Error(`no channel "${message.channel}" to deliver it`);
      await Promise.race([channel.deliver(message, attempt.signal), aborted(attempt.signal)]);
    } catch (error) {
      failure = this.stopping.signal.aborted ? undefined : attempt.signal.aborted ? `no answer within ${this.timeoutMs / SECOND} s` : reasonOf(error);
      if (failure === undefined) return;
    } finally {
      clearTimeout(timer);
      this.stopping.signal.removeEventListener('abort', stop);
    }
    try {
      this.record(message, failure);
    } catch (error) {
      // Not marked: it is sent again (same delivery id), which receivers dedupe.
      this.options.logger.error({ err: error, deliveryId: message.deliveryId }, 'a delivery could not be recorded');
    }
  }

  private record(message: OutboxMessage, failure: string | undefined): void {
    const { repository, observer, logger } = this.options;
    const now = this.now();
    if (failure === undefined) {
      repository.markDelivered(message.id, now);
      observer?.delivered(message.channel, (now - message.createdAt) / SECOND);
      return;
    }
    const attempts = message.attempts + 1;
    const giveUp = attempts >= this.retry.maxAttempts;
    const error = failure.slice(0, MAX_ERROR_LENGTH);
    repository.markFailedTry(
      message.id,
      error,
      giveUp ? { giveUp, now } : { giveUp, nextAttemptAt: now + backoffDelay(attempts, this.retry.firstDelayMs, this.retry.maxDelayMs, this.random) },
    );
    observer?.failedTry(message.channel, giveUp);
    const context = { deliveryId: message.deliveryId, target: message.targetKey, event: message.event, attempts, error };
    if (giveUp) logger.warn(context, 'delivery given up after its last try; an admin may retry it');
    else logger.info(context, 'delivery failed; it will be tried again');
  }

  private pruneNow(): void {
    const now = this.now();
    if (now - this.lastPruneAt < PRUNE_EVERY_MS) return;
    this.lastPruneAt = now;
    this.options.repository.pruneDelivered(now - (this.options.keepDeliveredMs ?? DEFAULT_KEEP_DELIVERED_MS));
  }
}

/** Rejects when the signal aborts: a channel that ignores its signal cannot hold its queue forever. */
function aborted(signal: AbortSignal): Promise<never> {
  const rejection = new Promise<never>((_resolve, reject) => {
    if (signal.aborted) reject(new Error('aborted'));
    signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
  });
  // Aborted after the race was won: nobody waits for it any more.
  rejection.catch(() => undefined);
  return rejection;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
