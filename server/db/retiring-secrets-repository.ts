import type { Database } from './database.js';

/** Webhook secrets being replaced: each still accepted until it retires. */
export class RetiringSecretsRepository {
  private readonly upsert;
  private readonly select;
  private readonly selectAll;
  private readonly deleteOne;

  constructor(db: Database) {
    this.upsert = db.prepare(
      `INSERT INTO retiring_webhook_secrets (pot_id, secret, retires_at) VALUES (?, ?, ?)
       ON CONFLICT (pot_id) DO UPDATE SET secret = excluded.secret, retires_at = excluded.retires_at`,
    );
    this.select = db.prepare<[string, number], { secret: string }>(
      'SELECT secret FROM retiring_webhook_secrets WHERE pot_id = ? AND retires_at > ?',
    );
    this.selectAll = db.prepare<[number], { pot_id: string; retires_at: number }>(
      'SELECT pot_id, retires_at FROM retiring_webhook_secrets WHERE retires_at > ?',
    );
    this.deleteOne = db.prepare('DELETE FROM retiring_webhook_secrets WHERE pot_id = ?');
  }

  set(potId: string, secret: string, retiresAt: number): void {
    this.upsert.run(potId, secret, retiresAt);
  }

  /** The pot's previous secret while it is still accepted. */
  live(potId: string, now: number): string | undefined {
    return this.select.get(potId, now)?.secret;
  }

  /** When each pot's previous secret retires, for those still accepted. */
  retirements(now: number): Map<string, number> {
    return new Map(this.selectAll.all(now).map((row) => [row.pot_id, row.retires_at]));
  }

  /** Retires the previous secret now; false when there was none. */
  remove(potId: string): boolean {
    return this.deleteOne.run(potId).changes === 1;
  }
}
