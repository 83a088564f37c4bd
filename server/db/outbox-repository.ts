import { randomUUID } from 'node:crypto';
import type { DeliveryCounts, DeliveryStatus } from '../../shared/alerts.js';
import type { Database } from './database.js';

/** A message to send, as it waits in the outbox. */
export interface OutboxMessage {
  /** Row id: the order of a target's messages. */
  id: number;
  /** Sent along with every try, for the receiver to dedupe by. */
  deliveryId: string;
  channel: string;
  targetKey: string;
  event: string;
  payload: unknown;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  createdAt: number;
  finishedAt: number | null;
}

export interface NewOutboxMessage {
  channel: string;
  targetKey: string;
  event: string;
  payload: unknown;
}

interface OutboxRow {
  id: number;
  delivery_id: string;
  channel: string;
  target_key: string;
  event: string;
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  finished_at: number | null;
}

const toMessage = (row: OutboxRow): OutboxMessage => ({
  id: row.id,
  deliveryId: row.delivery_id,
  channel: row.channel,
  targetKey: row.target_key,
  event: row.event,
  payload: JSON.parse(row.payload) as unknown,
  status: row.status,
  attempts: row.attempts,
  nextAttemptAt: row.next_attempt_at,
  lastError: row.last_error,
  createdAt: row.created_at,
  finishedAt: row.finished_at,
});

/**
 * The outbox table: messages waiting to leave the server, one queue per target key. `add` is
 * meant to run inside the transaction of the change that causes the message, so that both are
 * kept or neither is.
 */
export class OutboxRepository {
  private readonly insertRow;
  private readonly selectDueHeads;
  private readonly markDeliveredRow;
  private readonly markTriedRow;
  private readonly selectOfTarget;
  private readonly countByStatus;
  private readonly countPendingOfChannel;
  private readonly retryFailedRows;
  private readonly deleteTarget;
  private readonly deleteFinishedBefore;

  constructor(db: Database) {
    this.insertRow = db.prepare(
      `INSERT INTO outbox (delivery_id, channel, target_key, event, payload, next_attempt_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    // The oldest pending message of each target, when its turn has come: a target's later
    // messages wait behind it, so that they arrive in order.
    this.selectDueHeads = db.prepare<[number, number], OutboxRow>(
      `SELECT * FROM outbox AS o
       WHERE o.status = 'pending' AND o.next_attempt_at <= ?
         AND NOT EXISTS (SELECT 1 FROM outbox AS p WHERE p.status = 'pending' AND p.target_key = o.target_key AND p.id < o.id)
       ORDER BY o.next_attempt_at, o.id LIMIT ?`,
    );
    this.markDeliveredRow = db.prepare(
      "UPDATE outbox SET status = 'delivered', attempts = attempts + 1, finished_at = ?, last_error = NULL WHERE id = ? AND status = 'pending'",
    );
    this.markTriedRow = db.prepare(
      `UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?,
         status = CASE WHEN ? THEN 'failed' ELSE 'pending' END, finished_at = CASE WHEN ? THEN ? ELSE NULL END
       WHERE id = ? AND status = 'pending'`,
    );
    this.selectOfTarget = db.prepare<[string, number], OutboxRow>('SELECT * FROM outbox WHERE target_key = ? ORDER BY id DESC LIMIT ?');
    this.countByStatus = db.prepare<[string], { status: DeliveryStatus; n: number }>(
      'SELECT status, count(*) AS n FROM outbox WHERE target_key = ? GROUP BY status',
    );
    this.countPendingOfChannel = db.prepare<[], { channel: string; status: DeliveryStatus; n: number }>(
      "SELECT channel, status, count(*) AS n FROM outbox WHERE status IN ('pending', 'failed') GROUP BY channel, status",
    );
    this.retryFailedRows = db.prepare(
      "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, finished_at = NULL WHERE target_key = ? AND status = 'failed'",
    );
    this.deleteTarget = db.prepare('DELETE FROM outbox WHERE target_key = ?');
    this.deleteFinishedBefore = db.prepare("DELETE FROM outbox WHERE status = 'delivered' AND finished_at < ?");
  }

  /** Queues a message; returns its delivery id. Call it inside the transaction of its cause. */
  add(message: NewOutboxMessage, now: number): string {
    const deliveryId = randomUUID();
    this.insertRow.run(deliveryId, message.channel, message.targetKey, message.event, JSON.stringify(message.payload), now, now);
    return deliveryId;
  }

  /** The head of each target's queue whose time has come, soonest first. */
  dueHeads(now: number, limit: number): OutboxMessage[] {
    return this.selectDueHeads.all(now, limit).map(toMessage);
  }

  markDelivered(id: number, now: number): void {
    this.markDeliveredRow.run(now, id);
  }

  /** Records a failed try: the message waits until `nextAttemptAt`, or is given up. */
  markFailedTry(id: number, error: string, next: { giveUp: true; now: number } | { giveUp: false; nextAttemptAt: number }): void {
    const giveUp = next.giveUp ? 1 : 0;
    const nextAttemptAt = next.giveUp ? next.now : next.nextAttemptAt;
    this.markTriedRow.run(error, nextAttemptAt, giveUp, giveUp, next.giveUp ? next.now : null, id);
  }

  /** The newest messages of a target, newest first. */
  ofTarget(targetKey: string, limit: number): OutboxMessage[] {
    return this.selectOfTarget.all(targetKey, limit).map(toMessage);
  }

  counts(targetKey: string): DeliveryCounts {
    const counts: DeliveryCounts = { pending: 0, delivered: 0, failed: 0 };
    for (const { status, n } of this.countByStatus.all(targetKey)) counts[status] = n;
    return counts;
  }

  /** Messages waiting and given up, per channel (for the metrics). */
  backlog(): Array<{ channel: string; status: DeliveryStatus; count: number }> {
    return this.countPendingOfChannel.all().map((row) => ({ channel: row.channel, status: row.status, count: row.n }));
  }

  /** Puts a target's given-up messages back in its queue, with fresh tries; returns how many. */
  retryFailed(targetKey: string, now: number): number {
    return this.retryFailedRows.run(now, targetKey).changes;
  }

  /** Forgets a target's messages, sent or not (its alert was deleted). */
  removeTarget(targetKey: string): void {
    this.deleteTarget.run(targetKey);
  }

  /** Forgets messages delivered before `before`; returns how many. */
  pruneDelivered(before: number): number {
    return this.deleteFinishedBefore.run(before).changes;
  }
}
