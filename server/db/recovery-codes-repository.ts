import type { Database } from './database.js';

/** One-time recovery codes of an account, kept as hashes. */
export class RecoveryCodesRepository {
  private readonly insert;
  private readonly deleteOfUser;
  private readonly markUsed;
  private readonly countUnused;
  private readonly selectUnused;

  constructor(db: Database) {
    this.insert = db.prepare('INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)');
    this.deleteOfUser = db.prepare('DELETE FROM recovery_codes WHERE user_id = ?');
    this.markUsed = db.prepare('UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL');
    this.selectUnused = db.prepare<[number, string], { found: number }>(
      'SELECT 1 AS found FROM recovery_codes WHERE user_id = ? AND code_hash = ? AND used_at IS NULL',
    );
    this.countUnused = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM recovery_codes WHERE user_id = ? AND used_at IS NULL');
  }

  /** Replaces every code of the user with these. */
  replace(userId: number, codeHashes: readonly string[]): void {
    this.deleteOfUser.run(userId);
    for (const hash of codeHashes) this.insert.run(userId, hash);
  }

  /** Uses a code: true once for each unused code, false for anything else. */
  use(userId: number, codeHash: string, at: number): boolean {
    return this.markUsed.run(at, userId, codeHash).changes === 1;
  }

  hasUnused(userId: number, codeHash: string): boolean {
    return this.selectUnused.get(userId, codeHash) !== undefined;
  }

  unused(userId: number): number {
    return this.countUnused.get(userId)?.n ?? 0;
  }

  removeOfUser(userId: number): void {
    this.deleteOfUser.run(userId);
  }
}
