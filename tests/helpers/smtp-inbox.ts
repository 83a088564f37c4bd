import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpInbox {
  /** smtp://127.0.0.1:<port>, for SMTP_URL. */
  url: string;
  /** Every message accepted, parsed, in order. */
  mails: ParsedMail[];
  /** How many messages were refused (by `refuse`). */
  refused: number;
  close(): Promise<void>;
}

/**
 * A real SMTP server on loopback standing in for a newsroom's mail server. `refuse(n)` says
 * whether to turn the n-th message away with a temporary error (451), as a busy server does.
 */
export async function startSmtpInbox(refuse: (messageNumber: number) => boolean = () => false): Promise<SmtpInbox> {
  const inbox: SmtpInbox = { url: '', mails: [], refused: 0, close: async () => undefined };
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      const number = received++;
      simpleParser(stream).then(
        (mail) => {
          if (refuse(number)) {
            inbox.refused++;
            callback(Object.assign(new Error('busy, try again later'), { responseCode: 451 }));
            return;
          }
          inbox.mails.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  inbox.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  inbox.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return inbox;
}
