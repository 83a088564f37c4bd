import express, { Router, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { SourceOf } from '../../../shared/pot-config.js';
import { storageUnavailable } from '../../db/storage-errors.js';
import type { Ingest } from '../../ingest/ingest.js';
import { parseWebhookBody, SIGNATURE_HEADER, verifySignature } from '../../ingest/webhook.js';
import type { PotStates } from '../../live/pot-states.js';
import { HttpError } from '../errors.js';

/** 1 MiB: the "mb" of the body parser counts in powers of two. */
export const WEBHOOK_BODY_LIMIT = '1mb';
const UNKNOWN_FAILURE_RETRY_SECONDS = 30;

/**
 * Webhook ingest: signed like GitHub webhooks, acknowledged only after the commit. While a
 * secret is being rotated, the previous one (`previousSecret`) is accepted too.
 */
export function readingsRouter(
  states: PotStates,
  ingest: Ingest,
  logger: Logger,
  previousSecret: (potId: string) => string | undefined,
): Router {
  const router = Router();

  // The pot is checked before the body is read, so that an unknown pot costs no upload.
  const requireWebhookPot: RequestHandler<{ id: string }> = (req, res, next) => {
    const potId = req.params.id;
    const pot = states.config(potId);
    if (!pot) throw new HttpError(404, 'pot_not_found', `there is no pot "${potId}"`, 'id');
    if (states.isArchived(potId)) throw new HttpError(409, 'pot_archived', `pot "${potId}" is archived and takes no more readings`, 'id');
    if (states.isPausedByAdmin(potId)) {
      throw new HttpError(409, 'pot_paused', `pot "${potId}" is paused by an admin: send the readings again once it is resumed`, 'id');
    }
    if (pot.source.kind !== 'webhook') {
      throw new HttpError(409, 'not_a_webhook_pot', `pot "${potId}" does not take webhook readings`, 'id');
    }
    res.locals.pot = pot;
    next();
  };

  router.post(
    '/api/pots/:id/readings',
    requireWebhookPot,
    express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT }),
    (req, res) => {
      const potId = req.params.id;
      const { currency, source } = res.locals.pot as { currency: string; source: SourceOf<'webhook'> };
      const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const signature = req.get(SIGNATURE_HEADER);
      if (!verifySignature(raw, signature, source.secret) && !verifyWithPrevious(raw, signature, previousSecret(potId))) {
        throw new HttpError(401, 'bad_signature', `missing or wrong ${SIGNATURE_HEADER} header`, SIGNATURE_HEADER);
      }
      let body: unknown;
      try {
        body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
      } catch {
        throw new HttpError(400, 'invalid_json', 'the request body is not valid UTF-8 JSON', 'body');
      }
      const parsed = parseWebhookBody(body, currency);
      if (!parsed.ok) throw new HttpError(400, 'invalid_reading', parsed.message, parsed.field);
      let result;
      try {
        // The sender forgets a delivery once it has its 200: on disk first, power loss included.
        result = ingest.submit(potId, { ...parsed.batch, durable: true });
      } catch (error) {
        const unavailable = storageUnavailable(error);
        logger.error({ err: error, potId }, 'webhook readings could not be stored');
        res.set('Retry-After', String(unavailable?.retryAfterSeconds ?? UNKNOWN_FAILURE_RETRY_SECONDS));
        throw new HttpError(
          503,
          'storage_unavailable',
          `${unavailable?.reason ?? 'the readings could not be stored'}: nothing was stored, send them again later`,
        );
      }
      const { quarantined, ...counts } = result;
      res.json(quarantined > 0 ? result : counts);
    },
  );
  return router;
}

const verifyWithPrevious = (raw: Buffer, signature: string | undefined, previous: string | undefined): boolean =>
  previous !== undefined && verifySignature(raw, signature, previous);
