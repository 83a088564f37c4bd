import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { DELIVERY_HEADER, EVENT_HEADER, type AlertNotice } from '../../shared/alerts.js';
import { SIGNATURE_HEADER, verifySignature } from '../../server/ingest/webhook.js';
import { listenOnLoopback, type LoopbackServer } from './loopback-server.js';

/** How the stand-in receiver answers a delivery. */
export type Answer =
  | { kind: 'ok' }
  | { kind: 'status'; status: number }
  /** Reads the request and never answers. */
  | { kind: 'hang' }
  /** Cuts the connection without an answer. */
  | { kind: 'close' }
  /** Answers 200 after a while. */
  | { kind: 'slow'; delayMs: number };

export interface ReceivedDelivery {
  deliveryId: string;
  event: string;
  notice: AlertNotice;
  /** Whether the signature matched the body with the receiver's secret. */
  signed: boolean;
  contentType: string | undefined;
  /** Epoch ms when it arrived. */
  receivedAt: number;
  /** The answer it got. */
  answer: Answer['kind'];
  /** A 2xx answer was sent in full. */
  acknowledged: boolean;
}

export interface AlertReceiver extends LoopbackServer {
  /** Every try that arrived, in order, whatever it was answered. */
  tries: ReceivedDelivery[];
  /** Tries answered with a 2xx: what the sender may count as delivered. */
  acknowledged(): ReceivedDelivery[];
  /** The distinct delivery ids that arrived, in the order they first arrived. */
  distinctIds(): string[];
  /** Sets the secret that signatures are checked against. */
  expectSecret(secret: string): void;
}

/**
 * A newsroom's or a chat's incoming webhook, on loopback: it records each try and answers as
 * `answer(n)` says for the n-th try (counting from 0), to stand for a receiver that fails,
 * hangs, cuts the line or is slow.
 */
export async function startAlertReceiver(answer: (tryNumber: number, notice: AlertNotice) => Answer = () => ({ kind: 'ok' })): Promise<AlertReceiver> {
  const tries: ReceivedDelivery[] = [];
  let secret = '';
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const notice = JSON.parse(raw.toString('utf8')) as AlertNotice;
      const reply = answer(tries.length, notice);
      const entry: ReceivedDelivery = {
        deliveryId: String(req.headers[DELIVERY_HEADER]),
        event: String(req.headers[EVENT_HEADER]),
        notice,
        signed: verifySignature(raw, req.headers[SIGNATURE_HEADER] as string | undefined, secret),
        contentType: req.headers['content-type'],
        receivedAt: Date.now(),
        answer: reply.kind,
        acknowledged: false,
      };
      tries.push(entry);
      res.on('finish', () => {
        entry.acknowledged = res.statusCode >= 200 && res.statusCode < 300;
      });
      switch (reply.kind) {
        case 'ok':
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
          return;
        case 'status':
          res.writeHead(reply.status).end('no');
          return;
        case 'hang':
          return;
        case 'close':
          req.socket.destroy();
          return;
        case 'slow':
          setTimeout(() => res.writeHead(200).end('ok'), reply.delayMs);
          return;
      }
    });
  });
  const listening = await listenOnLoopback(server);
  return {
    ...listening,
    tries,
    acknowledged: () => tries.filter((entry) => entry.acknowledged),
    distinctIds: () => [...new Set(tries.map((entry) => entry.deliveryId))],
    expectSecret: (value) => {
      secret = value;
    },
  };
}
