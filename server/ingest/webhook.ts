import { createHmac, timingSafeEqual } from 'node:crypto';
import { describeIssue, webhookBatchSchema, webhookReadingSchema, type WebhookReading } from '../../shared/schemas.js';
import { MINUTE } from '../../shared/time.js';
import type { Contribution } from '../db/readings-repository.js';
import type { IncomingReading, IngestBatch } from './ingest.js';

export const SIGNATURE_HEADER = 'x-potwatch-signature-256';

/** `sha256=<hex>` of the raw body, as a sender computes it. */
export function signBody(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

const SIGNATURE_FORMAT = /^sha256=([0-9a-f]{64})$/i;

/**
 * Checks `sha256=<hex>` against the HMAC of the raw body. The digests are compared in
 * constant time, so that a signature cannot be guessed byte by byte.
 */
export function verifySignature(body: Buffer, header: string | undefined, secret: string): boolean {
  const match = header ? SIGNATURE_FORMAT.exec(header.trim()) : null;
  if (!match) return false;
  const given = Buffer.from(match[1]!, 'hex');
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(given, expected);
}

/** How far ahead of the server's clock a reading may be dated (clocks differ a little). */
const FUTURE_TOLERANCE_MS = 5 * MINUTE;
/** Longest raw text kept for the audit trail of one reading. */
const RAW_LIMIT = 500;

export type WebhookParse = { ok: true; batch: IngestBatch } | { ok: false; field: string; message: string };

/**
 * Validates a decoded webhook body (one reading or an array of them) into readings in
 * minor units. A problem with the body as a whole is reported on the field `body`.
 */
export function parseWebhookBody(body: unknown, currency: string, now = Date.now()): WebhookParse {
  const isBatch = Array.isArray(body);
  const parsed = isBatch ? webhookBatchSchema(currency).safeParse(body) : webhookReadingSchema(currency).safeParse(body);
  if (!parsed.success) {
    const issue = describeIssue(parsed.error);
    return issue.field ? { ok: false, field: issue.field, message: issue.message } : { ok: false, field: 'body', message: `body ${issue.message}` };
  }
  const items: WebhookReading[] = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
  const originals: unknown[] = isBatch ? (body as unknown[]) : [body];
  const prefix = (index: number) => (isBatch ? `[${index}].` : '');
  const readings: IncomingReading[] = [];
  const contributions: Contribution[] = [];
  for (const [index, item] of items.entries()) {
    const at = item.at ?? now;
    if (at > now + FUTURE_TOLERANCE_MS) {
      return { ok: false, field: `${prefix(index)}at`, message: `${prefix(index)}at is in the future` };
    }
    readings.push({ at, amountMinor: item.amount, contributors: item.contributors, raw: rawFigures(originals[index]) });
    for (const contribution of item.contributions ?? []) {
      contributions.push({
        id: contribution.id,
        at: contribution.at ?? at,
        ...(contribution.amount !== undefined ? { amountMinor: contribution.amount } : {}),
        ...(contribution.name !== undefined ? { name: contribution.name } : {}),
        ...(contribution.message !== undefined ? { message: contribution.message } : {}),
      });
    }
  }
  return { ok: true, batch: { readings, contributions, origin: 'webhook' } };
}

/** The figures exactly as sent, without the contributions (they are stored on their own). */
function rawFigures(original: unknown): string {
  const { at, amount, contributors } = original as Record<string, unknown>;
  return JSON.stringify({ at, amount, contributors }).slice(0, RAW_LIMIT);
}
