import type { AlertsRepository } from '../db/alerts-repository.js';
import type { OutboxMessage } from '../db/outbox-repository.js';
import type { OutboxChannel } from '../outbox/outbox-worker.js';
import type { AddressPolicy } from '../sources/address-policy.js';
import { ALERT_CHANNEL } from './alert-triggers.js';
import type { EmailSender } from './email-sender.js';
import { sendWebhook } from './webhook-sender.js';

/** Delivers an alert's queued notices to its target, by webhook or e-mail. */
export class AlertChannel implements OutboxChannel {
  constructor(
    private readonly alerts: AlertsRepository,
    private readonly policy: AddressPolicy,
    private readonly email: EmailSender | undefined,
  ) {}

  async deliver(message: OutboxMessage, signal: AbortSignal): Promise<void> {
    const alertId = Number(message.targetKey.slice(ALERT_CHANNEL.length + 1));
    const alert = this.alerts.get(alertId);
    if (!alert) throw new Error('the alert was deleted');
    if (alert.kind === 'webhook') {
      await sendWebhook(this.policy, { url: alert.target, secret: alert.secret ?? '' }, message, signal);
      return;
    }
    if (!this.email) throw new Error('e-mail is not set up: SMTP_URL is missing');
    // An alert's language never changes, so the queued line and the words around it agree.
    await this.email.send(alert.target, message, alert.lang);
  }
}
