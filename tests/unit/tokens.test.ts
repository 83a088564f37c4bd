import { describe, expect, it } from 'vitest';
import {
  csrfTokenFor,
  csrfTokenMatches,
  hashToken,
  isWellFormedToken,
  newSessionToken,
  safeEqual,
} from '../../server/moderation/tokens.js';

describe('session and CSRF tokens', () => {
  it('makes 256-bit random, well-formed, distinct session tokens', () => {
    const tokens = new Set(Array.from({ length: 1000 }, newSessionToken));
    expect(tokens.size).toBe(1000);
    for (const token of tokens) expect(isWellFormedToken(token)).toBe(true);
    expect(Buffer.from([...tokens][0]!, 'base64url')).toHaveLength(32);
  });

  it('stores a one-way hash that differs from the token', () => {
    const token = newSessionToken();
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token)).toBe(hashToken(token));
    expect(hashToken(token)).not.toContain(token);
  });

  it('binds the CSRF token to its session', () => {
    const a = newSessionToken();
    const b = newSessionToken();
    expect(csrfTokenFor(a)).toBe(csrfTokenFor(a));
    expect(csrfTokenFor(a)).not.toBe(csrfTokenFor(b));
    expect(csrfTokenFor(a)).not.toBe(a);
    expect(csrfTokenMatches(a, csrfTokenFor(a))).toBe(true);
    expect(csrfTokenMatches(a, csrfTokenFor(b))).toBe(false);
    expect(csrfTokenMatches(a, undefined)).toBe(false);
    expect(csrfTokenMatches(a, '')).toBe(false);
  });

  it('rejects malformed tokens before any lookup', () => {
    for (const bad of ['', 'short', `${newSessionToken()}x`, 'a'.repeat(42) + '!', "' OR 1=1 --".padEnd(43, 'a')]) {
      expect(isWellFormedToken(bad)).toBe(false);
    }
  });

  it('compares strings of any length safely', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});
