import { randomBytes } from 'node:crypto';
import type { SessionUser } from '../../shared/accounts.js';
import type { SourceOf } from '../../shared/pot-config.js';
import { HOUR } from '../../shared/time.js';
import type { SecretRotation, WebhookSecretView } from '../../shared/webhook-secrets.js';
import type { AuditLog } from '../db/audit-log.js';
import type { Database } from '../db/database.js';
import type { PotsRepository, StoredPot } from '../db/pots-repository.js';
import { RetiringSecretsRepository } from '../db/retiring-secrets-repository.js';
import { transaction } from '../db/transaction.js';
import type { PotCatalog } from './pot-catalog.js';
import { PotRequestRefused } from './pot-service.js';

/**
 * Webhook secrets replaced without refusing a delivery: the new secret works at once, the
 * previous one until the end of an overlap (or until an admin retires it), so that the
 * sender can switch in between. API pots only: a pots-file pot's secret lives in the file.
 */
export class SecretRotationService {
  private readonly retiring: RetiringSecretsRepository;

  constructor(
    private readonly deps: { db: Database; catalog: PotCatalog; repository: PotsRepository; audit: AuditLog; now: () => number },
  ) {
    this.retiring = new RetiringSecretsRepository(deps.db);
  }

  /** The pot's previous secret while it is still accepted (checked after the current one fails). */
  previousSecret(potId: string): string | undefined {
    return this.retiring.live(potId, this.deps.now());
  }

  list(actor: SessionUser): WebhookSecretView[] {
    requireAdmin(actor);
    const retirements = this.retiring.retirements(this.deps.now());
    return this.deps.catalog
      .all()
      .filter((pot) => !pot.archived && pot.config.source.kind === 'webhook')
      .map((pot) => ({
        potId: pot.config.id,
        title: pot.config.title,
        origin: pot.origin,
        rotatable: pot.origin === 'api',
        previousRetiresAt: retirements.get(pot.config.id) ?? null,
      }));
  }

  rotate(actor: SessionUser, potId: string, overlapHours: number): SecretRotation {
    requireAdmin(actor);
    const { pot: current, source, secret: previous } = this.webhookPot(potId);
    const secret = randomBytes(24).toString('base64url');
    const now = this.deps.now();
    const previousRetiresAt = now + Math.round(overlapHours * HOUR);
    const next: StoredPot = { ...current, config: { ...current.config, source: { ...source, secret } }, updatedAt: now };
    transaction(this.deps.db, () => {
      this.deps.repository.update(next, now);
      this.retiring.set(potId, previous, previousRetiresAt);
      this.deps.audit.record({ actor: actor.name, action: 'pot.secret_rotate', potId, target: `pot:${potId}`, after: { previousRetiresAt } });
    });
    this.deps.catalog.apply(next);
    return { potId, secret, previousRetiresAt };
  }

  /** The sender switched: the previous secret stops working now. */
  retirePrevious(actor: SessionUser, potId: string): void {
    requireAdmin(actor);
    this.webhookPot(potId);
    transaction(this.deps.db, () => {
      if (!this.retiring.remove(potId)) throw new PotRequestRefused(409, 'no_previous_secret', `pot "${potId}" has no previous secret still accepted`, 'id');
      this.deps.audit.record({ actor: actor.name, action: 'pot.secret_retire', potId, target: `pot:${potId}` });
    });
  }

  private webhookPot(potId: string): { pot: StoredPot; source: SourceOf<'webhook'>; secret: string } {
    const pot = this.deps.catalog.get(potId);
    if (!pot || pot.archived) throw new PotRequestRefused(404, 'pot_not_found', `there is no pot "${potId}"`, 'id');
    const { source } = pot.config;
    if (source.kind !== 'webhook') throw new PotRequestRefused(409, 'not_a_webhook_pot', `pot "${potId}" does not take webhook readings`, 'id');
    if (pot.origin === 'file') {
      throw new PotRequestRefused(
        409,
        'pot_in_file',
        `pot "${potId}" is defined in the pots file, which holds its secret: change it there and restart, after updating the sender`,
        'id',
      );
    }
    return { pot, source, secret: source.secret };
  }
}

function requireAdmin(actor: SessionUser): void {
  if (actor.role !== 'admin') throw new PotRequestRefused(403, 'forbidden', 'this needs the admin role');
}
