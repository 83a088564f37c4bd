import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A new session token: 256 random bits, base64url. Only the browser's cookie holds it. */
export function newSessionToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

export function isWellFormedToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

/** What the database keeps of a session token: enough to look it up, useless to present. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * The CSRF token of a session, derived from the session token: it is bound to that session,
 * changes with it, and needs no storage. Knowing it does not reveal the session token.
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('potwatch csrf v1').digest('base64url');
}

/** Constant-time comparison of two strings (length differences return false at once). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function csrfTokenMatches(sessionToken: string, given: string | undefined): boolean {
  return given !== undefined && safeEqual(csrfTokenFor(sessionToken), given);
}
