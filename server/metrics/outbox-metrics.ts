import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { OutboxRepository } from '../db/outbox-repository.js';
import type { DeliveryObserver } from '../outbox/outbox-worker.js';

/**
 * Deliveries of the outbox (alerts): how many went out, how many tries failed or were given
 * up, how long a message waited, and how many wait now (read from the database when scraped,
 * so that every process of a cluster reports the same queue).
 */
export class OutboxMetrics implements DeliveryObserver {
  private readonly deliveries: Counter<'channel'>;
  private readonly failures: Counter<'channel' | 'outcome'>;
  private readonly latency: Histogram<'channel'>;

  constructor(registry: Registry, repository: OutboxRepository, channels: readonly string[]) {
    const registers = [registry];
    this.deliveries = new Counter({
      name: 'potwatch_outbox_deliveries_total',
      help: 'Messages of the outbox delivered (a 2xx from a webhook, an e-mail accepted by the SMTP server)',
      labelNames: ['channel'],
      registers,
    });
    this.failures = new Counter({
      name: 'potwatch_outbox_failures_total',
      help: 'Failed tries of outbox deliveries: retried later, or given up after the last try',
      labelNames: ['channel', 'outcome'],
      registers,
    });
    this.latency = new Histogram({
      name: 'potwatch_outbox_delivery_seconds',
      help: 'Time from a message queued (its cause committed) to its delivery',
      labelNames: ['channel'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300, 1800],
      registers,
    });
    new Gauge({
      name: 'potwatch_outbox_queue_depth',
      help: 'Messages waiting in the outbox (pending), and given up until an admin retries them (failed)',
      labelNames: ['channel', 'status'],
      aggregator: 'max',
      registers,
      collect() {
        for (const channel of channels) for (const status of ['pending', 'failed']) this.set({ channel, status }, 0);
        for (const { channel, status, count } of repository.backlog()) this.set({ channel, status }, count);
      },
    });
  }

  delivered(channel: string, secondsSinceQueued: number): void {
    this.deliveries.inc({ channel });
    this.latency.observe({ channel }, secondsSinceQueued);
  }

  failedTry(channel: string, givenUp: boolean): void {
    this.failures.inc({ channel, outcome: givenUp ? 'given_up' : 'retried' });
  }
}
