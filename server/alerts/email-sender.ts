import type { Transporter } from 'nodemailer';
import type { AlertNotice } from '../../shared/alerts.js';
import { DELIVERY_HEADER, EVENT_HEADER } from '../../shared/alerts.js';
import type { Language } from '../../shared/languages.js';
import { SECOND } from '../../shared/time.js';
import type { OutboxMessage } from '../db/outbox-repository.js';
import { renderAlertEmail } from './alert-email.js';

export interface SmtpSettings {
  /** smtp://user:password@host:587 or smtps://…:465 */
  url: string;
  /** The From address, e.g. `Potwatch <alerts@example.org>`. */
  from: string;
}

/** Each step of the SMTP exchange is bounded, so that a mail server that stops answering fails the try. */
const SMTP_TIMEOUT_MS = 10 * SECOND;

/**
 * Sends alert e-mails (plain text and HTML) through the SMTP server of SMTP_URL. The mail
 * library is loaded with the first e-mail: a server that sends none does not pay for it at
 * every start.
 */
export class EmailSender {
  private transport: Promise<Transporter> | undefined;

  constructor(private readonly settings: SmtpSettings) {}

  async send(to: string, message: OutboxMessage, lang: Language): Promise<void> {
    const email = renderAlertEmail(message.payload as AlertNotice, lang);
    const transport = await this.connect();
    await transport.sendMail({
      to,
      ...email,
      headers: { [EVENT_HEADER]: message.event, [DELIVERY_HEADER]: message.deliveryId },
    });
  }

  close(): void {
    void this.transport?.then((transport) => transport.close());
  }

  private connect(): Promise<Transporter> {
    this.transport ??= import('nodemailer').then(({ default: nodemailer }) =>
      nodemailer.createTransport(
        { url: this.settings.url, connectionTimeout: SMTP_TIMEOUT_MS, greetingTimeout: SMTP_TIMEOUT_MS, socketTimeout: SMTP_TIMEOUT_MS },
        { from: this.settings.from },
      ),
    );
    return this.transport;
  }
}
