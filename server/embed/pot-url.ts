import { POT_ID_PATTERN } from '../../shared/schemas.js';

export type PotUrlParse =
  | { ok: true; origin: string; potId: string; query: URLSearchParams }
  | { ok: false; message: string };

/** The pot that one of our addresses (`/pots/:id` or `/embed/:id`, on `host`) shows. */
export function parsePotUrl(text: string, host: string): PotUrlParse {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: 'must be an absolute URL such as https://example.org/pots/POT_ID' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, message: 'must be an http:// or https:// URL' };
  }
  if (url.host !== hostOf(host)) return { ok: false, message: `must be a pot page of ${host}` };
  const match = /^\/(?:pots|embed)\/([^/]+)\/?$/.exec(url.pathname);
  if (!match || !POT_ID_PATTERN.test(match[1]!)) {
    return { ok: false, message: 'must be the address of a pot page, such as /pots/POT_ID' };
  }
  return { ok: true, origin: url.origin, potId: match[1]!, query: url.searchParams };
}

/** `Host` header as the URL parser spells it (lower case, no default port). */
function hostOf(host: string): string {
  try {
    return new URL(`http://${host}`).host;
  } catch {
    return host.toLowerCase();
  }
}
