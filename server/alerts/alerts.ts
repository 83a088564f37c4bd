import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { PotStatusInfo } from '../../shared/types.js';
import { AlertsRepository } from '../db/alerts-repository.js';
import type { AuditLog } from '../db/audit-log.js';
import type { Database } from '../db/database.js';
import { OutboxRepository } from '../db/outbox-repository.js';
import type { SuggestionsRepository } from '../db/suggestions-repository.js';
import type { Ingest } from '../ingest/ingest.js';
import type { PotStates } from '../live/pot-states.js';
import { OutboxMetrics } from '../metrics/outbox-metrics.js';
import type { FlagService } from '../moderation/flag-service.js';
import { Outbox } from '../outbox/outbox.js';
import { OutboxWorker, type RetryPolicy } from '../outbox/outbox-worker.js';
import type { AddressPolicy } from '../sources/address-policy.js';
import { AlertChannel } from './alert-channel.js';
import { AlertNotices } from './alert-notices.js';
import { AlertService } from './alert-service.js';
import { ALERT_CHANNEL, AlertTriggers } from './alert-triggers.js';
import { EmailSender, type SmtpSettings } from './email-sender.js';

export interface AlertsOptions {
  /** SMTP_URL and the From address: without them, e-mail alerts are refused. */
  smtp?: SmtpSettings | undefined;
  /** POTWATCH_PUBLIC_URL: where readers reach the server, for the links in notices (default: its own address). */
  publicUrl?: string | undefined;
  retry?: RetryPolicy;
  /** Longest a delivery may take. */
  timeoutMs?: number;
  /** How often the outbox is read for what other processes queued, and for retries due. */
  pollMs?: number;
}

export interface AlertsDependencies {
  db: Database;
  audit: AuditLog;
  policy: AddressPolicy;
  states: PotStates;
  ingest: Ingest;
  suggestions: SuggestionsRepository;
  flags: FlagService;
  registry: Registry;
  logger: Logger;
  /** This server's own address, once it listens. */
  serverUrl: () => string;
}

/** Alerts, wired together: what queues them (triggers), what admins do with them (service), what delivers them (worker). */
export interface Alerts {
  service: AlertService;
  triggers: AlertTriggers;
  /** A pot's status changed: announced when a live pot turns stale (by the one process that delivers). */
  statusChanged(potId: string, status: PotStatusInfo): void;
  /** Starts delivering: one process per database does (the one that runs the sources). */
  startDelivering(): void;
  close(): Promise<void>;
}

export function createAlerts(deps: AlertsDependencies, options: AlertsOptions = {}): Alerts {
  const { db, states } = deps;
  const alerts = new AlertsRepository(db);
  const deliveries = new OutboxRepository(db);
  const outbox = new Outbox(deliveries);
  const notices = new AlertNotices(() => options.publicUrl ?? deps.serverUrl());
  const triggers = new AlertTriggers({
    db,
    alerts,
    outbox,
    notices,
    pot: (potId) => states.config(potId),
    latest: (potId) => states.latest(potId),
    now: Date.now,
  });
  deps.ingest.onStoring((potId, before, inserted) => triggers.readingsStored(potId, before, inserted));
  deps.suggestions.onCreated((suggestion) => triggers.suggestionCreated(suggestion));
  deps.flags.onPublishing((flag) => triggers.flagPublished(flag));

  const email = options.smtp ? new EmailSender(options.smtp) : undefined;
  const service = new AlertService({
    db,
    alerts,
    outbox,
    deliveries,
    audit: deps.audit,
    policy: deps.policy,
    notices,
    emailEnabled: email !== undefined,
    potIds: () => states.ids(),
    latest: (potId) => states.latest(potId),
    now: Date.now,
  });
  let worker: OutboxWorker | undefined;
  return {
    service,
    triggers,
    statusChanged: (potId, status) => {
      if (worker) triggers.statusChanged(potId, states.previousStatus(potId), status);
    },
    startDelivering: () => {
      worker = new OutboxWorker({
        repository: deliveries,
        channels: { [ALERT_CHANNEL]: new AlertChannel(alerts, deps.policy, email) },
        logger: deps.logger.child({ concern: 'alerts' }),
        observer: new OutboxMetrics(deps.registry, deliveries, [ALERT_CHANNEL]),
        ...(options.retry ? { retry: options.retry } : {}),
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
        ...(options.pollMs ? { pollMs: options.pollMs } : {}),
      });
      outbox.onAdded(() => worker?.wake());
      worker.start();
    },
    close: async () => {
      await worker?.close();
      email?.close();
    },
  };
}
