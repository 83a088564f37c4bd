import { createHmac, timingSafeEqual } from 'node:crypto';
import { describeIssue, webhookBatchSchema, webhookReadingSchema, type WebhookReading } from '../../shared/schemas.js';
import { MINUTE } from '../../shared/time.js';
import type { Contribution } from '../db/readings-repository.js';
import type { IngestBatch } from './ingest.js';

export const SIGNATURE_HEADER = 'x-potwatch-signature-256';

/** `sha256=<hex>` of the raw body, as a sender computes it. */
export function signBody(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Compares in constant time, so that the signature cannot be guessed byte by byte. */
export function verifySignature(body: Buffer, header: string | undefined, secret: string): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(body, secret));
  const given = Buffer.from(header.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** How far ahead of the server's clock a reading may be dated (clocks differ a little). */
const FUTURE_TOLERANCE_MS = 5 * MINUTE;

export type WebhookParse = { ok: true; batch: IngestBatch } | { ok: false; field?: string; message: string };

const schemasByCurrency = new Map<string, { reading: ReturnType<typeof webhookReadingSchema>; batch: ReturnType<typeof webhookBatchSchema> }>();

/** Built once per currency: building a zod schema costs more than using it. */
function schemasFor(currency: string) {
  let schemas = schemasByCurrency.get(currency);
  if (!schemas) {
    schemas = { reading: webhookReadingSchema(currency), batch: webhookBatchSchema(currency) };
    schemasByCurrency.set(currency, schemas);
  }
  return schemas;
}

/** Validates a decoded webhook body (one reading or an array of them) into readings in minor units. */
export function parseWebhookBody(body: unknown, currency: string, now = Date.now()): WebhookParse {
  const isBatch = Array.isArray(body);
  const schemas = schemasFor(currency);
  const parsed = isBatch ? schemas.batch.safeParse(body) : schemas.reading.safeParse(body);
  if (!parsed.success) return { ok: false, ...describeIssue(parsed.error) };
  const items: WebhookReading[] = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
  const prefix = (index: number) => (isBatch ? `[${index}].` : '');
  const readings = [];
  const contributions: Contribution[] = [];
  for (const [index, item] of items.entries()) {
    const at = item.at ?? now;
    if (at > now + FUTURE_TOLERANCE_MS) {
      return { ok: false, field: `${prefix(index)}at`, message: `${prefix(index)}at is in the future` };
    }
    readings.push({ at, amountMinor: item.amount, contributors: item.contributors });
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
  return { ok: true, batch: { readings, contributions } };
}
