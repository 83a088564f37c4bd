import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptCost {
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
}

/**
 * One of OWASP's recommended scrypt settings (N=2^15, r=8, p=3): 32 MiB per hash, about
 * 0.2 s on a small server. The lower-memory choice keeps a burst of sign-ins from
 * exhausting memory; the time cost stays that of the 128 MiB variant.
 */
export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 2 ** 15, r: 8, p: 3 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
const PREFIX = 'scrypt';

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** `scrypt$N$r$p$salt$key` (base64url), with a fresh random salt: the stored form carries its own cost. */
export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, cost);
  return [PREFIX, cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

interface ParsedHash {
  cost: ScryptCost;
  salt: Buffer;
  key: Buffer;
}

function parseHash(stored: string): ParsedHash | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== PREFIX) return undefined;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const valid = [N, r, p].every((value) => Number.isSafeInteger(value) && value > 0) && (N & (N - 1)) === 0 && N > 1;
  if (!valid) return undefined;
  return { cost: { N, r, p }, salt: Buffer.from(parts[4]!, 'base64url'), key: Buffer.from(parts[5]!, 'base64url') };
}

/** True when `password` matches `stored`; compares in constant time. A malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed || parsed.key.length !== KEY_BYTES) return false;
  const key = await derive(password, parsed.salt, parsed.cost);
  return timingSafeEqual(key, parsed.key);
}

/**
 * Hashes and checks passwords at one cost. For a name that has no account it still runs a
 * full verification, against a hash made at start, so that the answer takes as long as for
 * a real account and the response time does not reveal which names exist.
 */
export class PasswordHasher {
  private dummy: Promise<string> | undefined;

  constructor(readonly cost: ScryptCost = DEFAULT_SCRYPT_COST) {}

  hash(password: string): Promise<string> {
    return hashPassword(password, this.cost);
  }

  async verify(password: string, stored: string | undefined): Promise<boolean> {
    if (stored !== undefined) return verifyPassword(password, stored);
    await verifyPassword(password, await this.warmUp());
    return false;
  }

  /** Computes the stand-in hash now rather than on the first unknown name. */
  warmUp(): Promise<string> {
    this.dummy ??= hashPassword(randomBytes(16).toString('base64url'), this.cost);
    return this.dummy;
  }
}
