import type { IncomingHttpHeaders } from 'node:http';
import type { Request, Response } from 'express';

/**
 * Over https the cookie takes the `__Host-` prefix: browsers then accept it only with
 * Secure, Path=/ and no Domain, so a sibling subdomain or a plain-http page cannot plant one.
 */
export const SECURE_COOKIE_NAME = '__Host-potwatch_session';
export const PLAIN_COOKIE_NAME = 'potwatch_session';

export function sessionCookieName(secure: boolean): string {
  return secure ? SECURE_COOKIE_NAME : PLAIN_COOKIE_NAME;
}

/** The session token from a Cookie header: over https only the `__Host-` cookie counts. */
export function readSessionToken(headers: IncomingHttpHeaders, secure: boolean): string | undefined {
  const header = headers.cookie;
  if (!header) return undefined;
  const wanted = sessionCookieName(secure);
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator >= 0 && part.slice(0, separator).trim() === wanted) return part.slice(separator + 1).trim();
  }
  return undefined;
}

/**
 * For a socket handshake, where the scheme the browser used is not known: either cookie.
 * The CSRF token the page sends with the handshake must still match the session found.
 */
export function readAnySessionToken(headers: IncomingHttpHeaders): string | undefined {
  return readSessionToken(headers, true) ?? readSessionToken(headers, false);
}

/**
 * httpOnly: page scripts never see the token. SameSite=Strict: no cross-site request carries
 * it; the dashboard is a single-page app whose API calls are same-site, so arriving from a
 * link elsewhere costs nothing but one extra fetch of `/api/session`.
 */
export function setSessionCookie(req: Request, res: Response, token: string, expiresAt: number, now: number): void {
  res.cookie(sessionCookieName(req.secure), token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: req.secure,
    path: '/',
    maxAge: Math.max(0, Math.ceil((expiresAt - now) / 1000) * 1000),
  });
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.clearCookie(sessionCookieName(req.secure), { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' });
}
