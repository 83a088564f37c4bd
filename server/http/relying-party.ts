import type { Request } from 'express';
import type { RelyingParty } from '../moderation/second-factors.js';

/**
 * The origin the browser is on, as it will sign it into a passkey answer: the scheme and host
 * of the request (behind a proxy, as `TRUST_PROXY` lets Express read them). A page on another
 * origin gets answers signed for that origin, which never match a passkey made here.
 */
export function relyingParty(req: Request): RelyingParty {
  return { origin: `${req.protocol}://${req.host}`, id: req.hostname };
}
