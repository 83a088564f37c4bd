import { randomBytes } from 'node:crypto';
import type { SessionUser } from '../../shared/accounts.js';
import type { AlertCreated, AlertDeliveryView, AlertNotice, AlertNoticeEvent, AlertView, CreateAlertInput } from '../../shared/alerts.js';
import type { Reading } from '../../shared/types.js';
import type { AlertsRepository, StoredAlert } from '../db/alerts-repository.js';
import type { AuditLog } from '../db/audit-log.js';
import type { Database } from '../db/database.js';
import type { OutboxMessage, OutboxRepository } from '../db/outbox-repository.js';
import { transaction } from '../db/transaction.js';
import type { Outbox } from '../outbox/outbox.js';
import type { AddressPolicy } from '../sources/address-policy.js';
import type { AlertNotices } from './alert-notices.js';
import { ALERT_CHANNEL, alertTargetKey } from './alert-triggers.js';

/** A request the alert service refuses, with the HTTP status, a stable code and the field at fault. */
export class AlertRequestRefused extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 422,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export interface AlertServiceDependencies {
  db: Database;
  alerts: AlertsRepository;
  outbox: Outbox;
  deliveries: OutboxRepository;
  audit: AuditLog;
  policy: AddressPolicy;
  notices: AlertNotices;
  /** Whether SMTP_URL is set: e-mail alerts need it. */
  emailEnabled: boolean;
  /** Every pot the server knows, archived ones included. */
  potIds(): string[];
  latest(potId: string): Reading | undefined;
  now: () => number;
}

/** Deliveries shown per alert in the admin's view. */
const DELIVERIES_SHOWN = 50;

/**
 * Admins' alerts: listed, made, deleted, tested, and their given-up deliveries retried. Each
 * change is written with its audit entry in one transaction.
 */
export class AlertService {
  constructor(private readonly deps: AlertServiceDependencies) {}

  list(actor: SessionUser): AlertView[] {
    requireAdmin(actor);
    return this.deps.alerts.all().map((alert) => this.view(alert));
  }

  async create(actor: SessionUser, input: CreateAlertInput): Promise<AlertCreated> {
    requireAdmin(actor);
    const known = new Set(this.deps.potIds());
    const unknown = input.pots?.findIndex((potId) => !known.has(potId)) ?? -1;
    if (unknown >= 0) throw new AlertRequestRefused(400, 'unknown_pot', `there is no pot "${input.pots![unknown]}"`, `pots[${unknown}]`);
    // Last, as it may ask the network.
    if (input.kind === 'webhook') {
      const refused = await this.deps.policy.check(input.target);
      if (refused) throw new AlertRequestRefused(422, 'address_refused', `the target may not be reached: ${refused}`, 'target');
    } else if (!this.deps.emailEnabled) {
      throw new AlertRequestRefused(422, 'email_not_configured', 'e-mail alerts need SMTP_URL to be set on the server', 'kind');
    }
    const secret = input.kind === 'webhook' ? (input.secret ?? randomBytes(24).toString('base64url')) : null;
    const alert = transaction(this.deps.db, () => {
      const stored = this.deps.alerts.insert({
        kind: input.kind,
        target: input.target,
        secret,
        events: input.events,
        pots: input.pots ?? null,
        milestoneEvery: input.milestoneEvery ?? null,
        lang: input.lang,
        createdBy: actor.name,
        createdAt: this.deps.now(),
      });
      // Milestones count from now: a pot already past some of them does not announce them all at its next reading.
      if (stored.events.includes('milestone')) {
        for (const potId of stored.pots ?? this.deps.potIds()) {
          const latest = this.deps.latest(potId);
          if (latest) this.deps.alerts.raiseMilestoneMark(stored.id, potId, latest.amountMinor);
        }
      }
      this.deps.audit.record({ actor: actor.name, action: 'alert.create', target: `alert:${stored.id}`, after: auditable(stored) });
      return stored;
    });
    return { alert: this.view(alert), ...(input.kind === 'webhook' && input.secret === undefined ? { secret: secret! } : {}) };
  }

  /** Deletes an alert and forgets its deliveries, sent or not. */
  remove(actor: SessionUser, alertId: number): void {
    requireAdmin(actor);
    transaction(this.deps.db, () => {
      const alert = this.existing(alertId);
      this.deps.alerts.remove(alertId);
      this.deps.deliveries.removeTarget(alertTargetKey(alertId));
      this.deps.audit.record({ actor: actor.name, action: 'alert.delete', target: `alert:${alertId}`, before: auditable(alert) });
    });
  }

  /** Queues a test notice to the alert's target, delivered like any other; returns its delivery id. */
  test(actor: SessionUser, alertId: number): string {
    requireAdmin(actor);
    return transaction(this.deps.db, () => {
      const alert = this.existing(alertId);
      const notice = this.deps.notices.test(alert.lang, this.deps.now());
      this.deps.audit.record({ actor: actor.name, action: 'alert.test', target: `alert:${alertId}` });
      return this.deps.outbox.add({ channel: ALERT_CHANNEL, targetKey: alertTargetKey(alertId), event: notice.event, payload: notice });
    });
  }

  /** The alert's newest deliveries, newest first. */
  deliveries(actor: SessionUser, alertId: number): AlertDeliveryView[] {
    requireAdmin(actor);
    this.existing(alertId);
    return this.deps.deliveries.ofTarget(alertTargetKey(alertId), DELIVERIES_SHOWN).map(deliveryView);
  }

  /** Puts the alert's given-up deliveries back in its queue, in their order, with fresh tries; returns how many. */
  retry(actor: SessionUser, alertId: number): number {
    requireAdmin(actor);
    return transaction(this.deps.db, () => {
      this.existing(alertId);
      const retried = this.deps.deliveries.retryFailed(alertTargetKey(alertId), this.deps.now());
      this.deps.audit.record({ actor: actor.name, action: 'alert.retry', target: `alert:${alertId}`, after: { retried } });
      return retried;
    });
  }

  private existing(alertId: number): StoredAlert {
    const alert = this.deps.alerts.get(alertId);
    if (!alert) throw new AlertRequestRefused(404, 'alert_not_found', `there is no alert ${alertId}`, 'aid');
    return alert;
  }

  private view(alert: StoredAlert): AlertView {
    const targetKey = alertTargetKey(alert.id);
    const deliveries = this.deps.deliveries.counts(targetKey);
    const [newest] = this.deps.deliveries.ofTarget(targetKey, 1);
    return {
      ...auditable(alert),
      createdBy: alert.createdBy,
      createdAt: alert.createdAt,
      deliveries,
      ...(newest?.lastError && newest.status !== 'delivered' ? { lastError: newest.lastError } : {}),
    };
  }
}

function requireAdmin(actor: SessionUser): void {
  if (actor.role !== 'admin') throw new AlertRequestRefused(403, 'forbidden', 'this needs the admin role');
}

/** An alert as the audit trail and the admins see it: all but its secret. */
function auditable(alert: StoredAlert): Pick<AlertView, 'id' | 'kind' | 'target' | 'events' | 'pots' | 'milestoneEvery' | 'lang'> {
  return {
    id: alert.id,
    kind: alert.kind,
    target: alert.target,
    events: alert.events,
    ...(alert.pots ? { pots: alert.pots } : {}),
    ...(alert.milestoneEvery !== null ? { milestoneEvery: alert.milestoneEvery } : {}),
    lang: alert.lang,
  };
}

function deliveryView(message: OutboxMessage): AlertDeliveryView {
  const notice = message.payload as AlertNotice;
  return {
    id: message.deliveryId,
    event: message.event as AlertNoticeEvent,
    potId: notice.potId,
    text: notice.text,
    status: message.status,
    attempts: message.attempts,
    createdAt: message.createdAt,
    nextAttemptAt: message.status === 'pending' ? message.nextAttemptAt : null,
    deliveredAt: message.status === 'delivered' ? message.finishedAt : null,
    lastError: message.lastError,
  };
}
