import { fetch } from 'undici';
import { DELIVERY_HEADER, EVENT_HEADER } from '../../shared/alerts.js';
import type { OutboxMessage } from '../db/outbox-repository.js';
import { SIGNATURE_HEADER, signBody } from '../ingest/webhook.js';
import type { AddressPolicy } from '../sources/address-policy.js';
import { DEFAULT_USER_AGENT, describeHttpStatus, networkCause, refusalIn } from '../sources/fetch-page.js';

/**
 * POSTs a notice to a webhook, signed as the ingest webhook is (HMAC-SHA256 of the raw body
 * with the alert's secret). Only a 2xx counts as delivered; a redirect is not followed (a
 * receiver that moved is fixed by its admin, not guessed). The target is checked against the
 * address policy before each try, and the connection dials only addresses it allows.
 */
export async function sendWebhook(
  policy: AddressPolicy,
  target: { url: string; secret: string },
  message: OutboxMessage,
  signal: AbortSignal,
): Promise<void> {
  const refused = await policy.check(target.url);
  if (refused) throw new Error(`refused to reach ${refused}`);
  const body = JSON.stringify(message.payload);
  let status: number;
  try {
    const response = await fetch(target.url, {
      method: 'POST',
      body,
      redirect: 'manual',
      signal,
      dispatcher: policy.dispatcher(),
      headers: {
        'content-type': 'application/json',
        'user-agent': DEFAULT_USER_AGENT,
        [EVENT_HEADER]: message.event,
        [DELIVERY_HEADER]: message.deliveryId,
        [SIGNATURE_HEADER]: signBody(body, target.secret),
      },
    });
    status = response.status;
    await response.body?.cancel();
  } catch (error) {
    const refusal = refusalIn(error);
    if (refusal) throw new Error(`refused to reach ${refusal}`);
    if (signal.aborted) throw error;
    throw new Error(`could not reach ${new URL(target.url).host} (${networkCause(error)})`);
  }
  if (status < 200 || status >= 300) throw new Error(describeHttpStatus(status, target.url));
}
