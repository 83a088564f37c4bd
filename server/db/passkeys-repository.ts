import type { Database } from './database.js';

export interface PasskeyRecord {
  /** The credential id, base64url. */
  id: string;
  userId: number;
  publicKey: Uint8Array<ArrayBuffer>;
  counter: number;
  transports: string[];
  label: string;
  createdAt: number;
  lastUsedAt: number | null;
}

interface PasskeyRow {
  id: string;
  user_id: number;
  public_key: Buffer;
  counter: number;
  transports: string | null;
  label: string;
  created_at: number;
  last_used_at: number | null;
}

const toPasskey = (row: PasskeyRow): PasskeyRecord => ({
  id: row.id,
  userId: row.user_id,
  publicKey: new Uint8Array(row.public_key),
  counter: row.counter,
  transports: row.transports ? (JSON.parse(row.transports) as string[]) : [],
  label: row.label,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
});

/** Passkeys (WebAuthn credentials) and their signature counters. */
export class PasskeysRepository {
  private readonly insert;
  private readonly selectOfUser;
  private readonly selectOne;
  private readonly updateUse;
  private readonly deleteOne;
  private readonly deleteOfUser;

  constructor(db: Database) {
    this.insert = db.prepare(
      `INSERT INTO passkeys (id, user_id, public_key, counter, transports, label, created_at)
       VALUES (@id, @userId, @publicKey, @counter, @transports, @label, @createdAt)`,
    );
    this.selectOfUser = db.prepare<[number], PasskeyRow>('SELECT * FROM passkeys WHERE user_id = ? ORDER BY created_at');
    this.selectOne = db.prepare<[string], PasskeyRow>('SELECT * FROM passkeys WHERE id = ?');
    this.updateUse = db.prepare('UPDATE passkeys SET counter = ?, last_used_at = ? WHERE id = ?');
    this.deleteOne = db.prepare('DELETE FROM passkeys WHERE user_id = ? AND id = ?');
    this.deleteOfUser = db.prepare('DELETE FROM passkeys WHERE user_id = ?');
  }

  add(passkey: Omit<PasskeyRecord, 'lastUsedAt'>): void {
    this.insert.run({
      ...passkey,
      publicKey: Buffer.from(passkey.publicKey),
      transports: JSON.stringify(passkey.transports),
    });
  }

  ofUser(userId: number): PasskeyRecord[] {
    return this.selectOfUser.all(userId).map(toPasskey);
  }

  byId(id: string): PasskeyRecord | undefined {
    const row = this.selectOne.get(id);
    return row && toPasskey(row);
  }

  recordUse(id: string, counter: number, at: number): void {
    this.updateUse.run(counter, at, id);
  }

  remove(userId: number, id: string): boolean {
    return this.deleteOne.run(userId, id).changes === 1;
  }

  removeOfUser(userId: number): void {
    this.deleteOfUser.run(userId);
  }
}

export type ChallengePurpose = 'register' | 'sign_in';

/** Passkey challenges, each used once before it expires. */
export class PasskeyChallengesRepository {
  private readonly insert;
  private readonly take;
  private readonly deleteExpired;

  constructor(db: Database) {
    this.insert = db.prepare('INSERT INTO passkey_challenges (challenge, purpose, user_id, expires_at) VALUES (?, ?, ?, ?)');
    this.take = db.prepare<[string, ChallengePurpose, number], { user_id: number | null }>(
      'DELETE FROM passkey_challenges WHERE challenge = ? AND purpose = ? AND expires_at > ? RETURNING user_id',
    );
    this.deleteExpired = db.prepare('DELETE FROM passkey_challenges WHERE expires_at <= ?');
  }

  add(challenge: string, purpose: ChallengePurpose, userId: number | null, expiresAt: number, now: number): void {
    this.deleteExpired.run(now);
    this.insert.run(challenge, purpose, userId, expiresAt);
  }

  /** Consumes a live challenge; returns whose it was (null for a sign-in), or undefined if none. */
  consume(challenge: string, purpose: ChallengePurpose, now: number): { userId: number | null } | undefined {
    const row = this.take.get(challenge, purpose, now);
    return row && { userId: row.user_id };
  }
}
