import express, { Router } from 'express';
import type { Logger } from 'pino';
import type { Ingest } from '../../ingest/ingest.js';
import { parseWebhookBody, SIGNATURE_HEADER, verifySignature } from '../../ingest/webhook.js';
import type { PotStates } from '../../live/pot-states.js';
import { HttpError } from '../errors.js';

export const WEBHOOK_BODY_LIMIT = '1mb';

/** Webhook ingest: signed like GitHub webhooks, acknowledged only after the commit. */
export function readingsRouter(states: PotStates, ingest: Ingest, logger: Logger): Router {
  const router = Router();
  router.post(
    '/api/pots/:id/readings',
    express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT }),
    (req, res) => {
      const potId = req.params.id;
      const pot = states.config(potId);
      if (!pot) throw new HttpError(404, 'pot_not_found', `there is no pot "${potId}"`, 'id');
      if (pot.source.kind !== 'webhook') {
        throw new HttpError(409, 'not_a_webhook_pot', `pot "${potId}" does not take webhook readings`);
      }
      const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (!verifySignature(raw, req.get(SIGNATURE_HEADER), pot.source.secret)) {
        throw new HttpError(401, 'bad_signature', `missing or wrong ${SIGNATURE_HEADER} header`);
      }
      let body: unknown;
      try {
        body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
      } catch {
        throw new HttpError(400, 'invalid_json', 'the request body is not valid UTF-8 JSON');
      }
      const parsed = parseWebhookBody(body, pot.currency);
      if (!parsed.ok) throw new HttpError(400, 'invalid_reading', parsed.message, parsed.field);
      let result;
      try {
        result = ingest.submit(potId, parsed.batch);
      } catch (error) {
        logger.error({ err: error, potId }, 'webhook readings could not be stored');
        throw new HttpError(503, 'storage_unavailable', 'the readings could not be stored; send them again later');
      }
      res.json(result);
    },
  );
  return router;
}
