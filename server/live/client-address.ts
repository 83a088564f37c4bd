import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';
import { addressKey } from '../moderation/address-key.js';

/** Express's "trust proxy" values, as TRUST_PROXY gives them: a hop count, true, or addresses/subnets. */
export type TrustProxy = boolean | number | string;

/**
 * Reads the address a request comes from as Express reads `req.ip` under the same
 * TRUST_PROXY: X-Forwarded-For counts only through the proxies it trusts, so that a client
 * cannot pick the address it is counted under. An IPv6 /64 counts as one address.
 */
export function clientAddressReader(trustProxy: TrustProxy | undefined): (req: IncomingMessage) => string {
  const trust = compileTrust(trustProxy ?? false);
  return (req) => addressKey(proxyAddr(req, trust));
}

function compileTrust(value: TrustProxy): (address: string, hop: number) => boolean {
  if (typeof value === 'boolean') return () => value;
  if (typeof value === 'number') return (_address, hop) => hop < value;
  return proxyAddr.compile(value.split(',').map((part) => part.trim()));
}
