import type { Database } from './database.js';

/** Addresses (IPv6 by /64) each account signed in from. */
export class KnownAddressesRepository {
  private readonly upsert;
  private readonly select;

  constructor(db: Database) {
    this.upsert = db.prepare(
      `INSERT INTO known_addresses (user_id, address, last_sign_in_at) VALUES (?, ?, ?)
       ON CONFLICT (user_id, address) DO UPDATE SET last_sign_in_at = excluded.last_sign_in_at`,
    );
    this.select = db.prepare<[number, string, number], { found: number }>(
      'SELECT 1 AS found FROM known_addresses WHERE user_id = ? AND address = ? AND last_sign_in_at >= ?',
    );
  }

  remember(userId: number, address: string, at: number): void {
    this.upsert.run(userId, address, at);
  }

  /** Whether the account signed in from `address` since `since`. */
  isKnown(userId: number, address: string, since: number): boolean {
    return this.select.get(userId, address, since) !== undefined;
  }
}
