import { describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT_COST, hashPassword, PasswordHasher, verifyPassword } from '../../server/moderation/passwords.js';

const FAST = { N: 2 ** 10, r: 8, p: 1 };

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery staple', FAST);
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('salts every hash, keeps no trace of the password, and records its cost', async () => {
    const a = await hashPassword('same password twice', FAST);
    const b = await hashPassword('same password twice', FAST);
    expect(a).not.toBe(b);
    expect(a).not.toContain('same password');
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  });

  it('defaults to a strong cost (at least 2^15 with r=8) that still verifies', async () => {
    expect(DEFAULT_SCRYPT_COST.N * DEFAULT_SCRYPT_COST.r * DEFAULT_SCRYPT_COST.p).toBeGreaterThanOrEqual(2 ** 15 * 8);
    const stored = await new PasswordHasher().hash('a strong default password');
    expect(stored.startsWith(`scrypt$${DEFAULT_SCRYPT_COST.N}$${DEFAULT_SCRYPT_COST.r}$${DEFAULT_SCRYPT_COST.p}$`)).toBe(true);
    expect(await verifyPassword('a strong default password', stored)).toBe(true);
  });

  it('treats Unicode forms of one password alike', async () => {
    const stored = await hashPassword('mot de passe \u00e9t\u00e9', FAST);
    expect(await verifyPassword('mot de passe e\u0301te\u0301', stored)).toBe(true);
  });

  it.each(['', 'plain', 'scrypt$1000$8$1$abc$def', 'scrypt$1024$8$1$abc$short', 'bcrypt$1024$8$1$a$b'])(
    'never matches a malformed stored hash %j',
    async (stored) => {
      expect(await verifyPassword('anything', stored)).toBe(false);
    },
  );

  it('runs a full verification for an unknown account, and says no', async () => {
    const hasher = new PasswordHasher(FAST);
    expect(await hasher.verify('whatever password', undefined)).toBe(false);
    const stored = await hasher.hash('the real password');
    expect(await hasher.verify('the real password', stored)).toBe(true);
  });
});
