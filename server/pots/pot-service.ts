import { randomBytes } from 'node:crypto';
import type { SessionUser } from '../../shared/accounts.js';
import type { ManagedPot, PotChangeAnswer, SourceView } from '../../shared/managed-pots.js';
import { majorToMinor } from '../../shared/money.js';
import {
  sourceInputSchema,
  type CreatePotInput,
  type PotConfig,
  type SourceConfig,
  type SourceInput,
  type UpdatePotInput,
} from '../../shared/pot-config.js';
import { describeIssue } from '../../shared/schemas.js';
import type { PotStatusInfo, Reading } from '../../shared/types.js';
import type { PotsRepository, StoredPot } from '../db/pots-repository.js';
import type { AuditLog } from '../db/audit-log.js';
import type { Database } from '../db/database.js';
import { transaction } from '../db/transaction.js';
import type { AddressPolicy } from '../sources/address-policy.js';
import type { PotCatalog } from './pot-catalog.js';

/** A request the pot service refuses, with the HTTP status, a stable code and the field at fault. */
export class PotRequestRefused extends Error {
  constructor(
    readonly status: 403 | 404 | 409 | 422 | 400,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export interface PotServiceDependencies {
  catalog: PotCatalog;
  repository: PotsRepository;
  audit: AuditLog;
  policy: AddressPolicy;
  db: Database;
  /** The pot's live status and latest reading, for the admin's view. */
  status(potId: string): (PotStatusInfo & { latest?: Reading | undefined }) | undefined;
  now: () => number;
}

/**
 * Admins' changes to pots: made, changed, paused, archived. Each is checked, written with its
 * audit entry in one transaction, then handed to the catalog, which restarts what depends on it
 * (source, guard, detection, viewers) without a restart of the server. Pots of the pots file
 * are changed in the file, not here.
 */
export class PotService {
  constructor(private readonly deps: PotServiceDependencies) {}

  list(actor: SessionUser): ManagedPot[] {
    requireAdmin(actor);
    return this.deps.catalog.all().map((pot) => this.view(pot));
  }

  async create(actor: SessionUser, input: CreatePotInput): Promise<PotChangeAnswer> {
    requireAdmin(actor);
    const { config, secret } = withSecret(input);
    await this.checkAddress(config.source);
    const now = this.deps.now();
    const stored = transaction(this.deps.db, () => {
      if (!this.deps.repository.insert(config, now)) {
        throw new PotRequestRefused(409, 'pot_exists', `there is already a pot "${config.id}" (archived ones included)`, 'id');
      }
      this.deps.audit.record({ actor: actor.name, action: 'pot.create', potId: config.id, target: `pot:${config.id}`, after: auditable(config) });
      return { config, origin: 'api' as const, paused: false, archived: false, createdAt: now, updatedAt: now };
    });
    this.deps.catalog.apply(stored);
    return { pot: this.view(stored), ...(secret ? { secret } : {}) };
  }

  async update(actor: SessionUser, potId: string, patch: UpdatePotInput): Promise<PotChangeAnswer> {
    requireAdmin(actor);
    const current = this.changeable(potId);
    const { source, secret } = patch.source ? mergeSource(current.config.source, patch.source) : { source: current.config.source, secret: undefined };
    if (patch.source) await this.checkAddress(source);
    const config = withGoal({
      ...current.config,
      ...(patch.title !== undefined ? { title: patch.title } : {}),
      ...(patch.platform !== undefined ? { platform: patch.platform ?? undefined } : {}),
      source,
    }, patch.goal === undefined ? current.config.goal : (patch.goal ?? undefined));
    const next: StoredPot = { ...current, config, paused: patch.paused ?? current.paused, updatedAt: this.deps.now() };
    transaction(this.deps.db, () => {
      this.deps.repository.update(next, next.updatedAt!);
      this.deps.audit.record({
        actor: actor.name,
        action: patch.paused !== undefined && patch.paused !== current.paused ? (patch.paused ? 'pot.pause' : 'pot.resume') : 'pot.update',
        potId,
        target: `pot:${potId}`,
        before: { ...auditable(current.config), paused: current.paused },
        after: { ...auditable(next.config), paused: next.paused },
      });
    });
    this.deps.catalog.apply(next);
    return { pot: this.view(next), ...(secret ? { secret } : {}) };
  }

  /** Stops the pot's source and takes it off the lists; its history stays readable. */
  archive(actor: SessionUser, potId: string): void {
    requireAdmin(actor);
    const current = this.changeable(potId);
    const next: StoredPot = { ...current, archived: true, updatedAt: this.deps.now() };
    transaction(this.deps.db, () => {
      this.deps.repository.update(next, next.updatedAt!);
      this.deps.audit.record({ actor: actor.name, action: 'pot.archive', potId, target: `pot:${potId}`, before: auditable(current.config) });
    });
    this.deps.catalog.apply(next);
  }

  private changeable(potId: string): StoredPot {
    const current = this.deps.catalog.get(potId);
    if (!current) throw new PotRequestRefused(404, 'pot_not_found', `there is no pot "${potId}"`, 'id');
    if (current.origin === 'file') {
      throw new PotRequestRefused(409, 'pot_in_file', `pot "${potId}" is defined in the pots file: change it there`, 'id');
    }
    if (current.archived) throw new PotRequestRefused(409, 'pot_archived', `pot "${potId}" is archived`, 'id');
    return current;
  }

  private async checkAddress(source: SourceConfig): Promise<void> {
    if (source.kind !== 'html' && source.kind !== 'http-json') return;
    const refused = await this.deps.policy.check(source.url);
    if (refused) throw new PotRequestRefused(422, 'address_refused', `the source may not be read: ${refused}`, 'source.url');
  }

  private view(pot: StoredPot): ManagedPot {
    const { config } = pot;
    const status = this.deps.status(config.id);
    return {
      id: config.id,
      title: config.title,
      currency: config.currency,
      ...(config.goal !== undefined ? { goal: config.goal } : {}),
      ...(config.platform !== undefined ? { platform: config.platform } : {}),
      origin: pot.origin,
      paused: pot.paused,
      archived: pot.archived,
      createdAt: pot.createdAt,
      updatedAt: pot.updatedAt,
      status: status?.status ?? 'stale',
      lastReadingAt: status?.lastReadingAt ?? null,
      ...(status?.reason ? { reason: status.reason } : {}),
      ...(status?.latest ? { latest: status.latest } : {}),
      source: sourceView(config.source),
    };
  }
}

function requireAdmin(actor: SessionUser): void {
  if (actor.role !== 'admin') throw new PotRequestRefused(403, 'forbidden', 'this needs the admin role');
}

/** A webhook source sent without a secret gets a new one, to be shown once. */
function withSecret(input: CreatePotInput): { config: PotConfig; secret?: string } {
  const { source, secret } = completeSource(input.source);
  return { config: { ...input, source }, ...(secret ? { secret } : {}) };
}

function completeSource(source: SourceInput): { source: SourceConfig; secret?: string } {
  if (source.kind !== 'webhook' || source.secret) return { source: source as SourceConfig };
  const secret = randomBytes(24).toString('base64url');
  return { source: { ...source, secret }, secret };
}

/**
 * The source after a PATCH: the named fields changed (null removes one) when the kind stays,
 * the new source as sent when the kind changes. A webhook keeps its secret unless given one.
 */
function mergeSource(current: SourceConfig, patch: Record<string, unknown>): { source: SourceConfig; secret?: string } {
  const sameKind = patch.kind === undefined || patch.kind === current.kind;
  const merged: Record<string, unknown> = sameKind ? { ...current } : {};
  for (const [field, value] of Object.entries(patch)) {
    if (value === null) delete merged[field];
    else merged[field] = value;
  }
  const parsed = sourceInputSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = describeIssue(parsed.error);
    throw new PotRequestRefused(400, 'invalid_pot', `source.${issue.message}`, issue.field ? `source.${issue.field}` : 'source');
  }
  return completeSource(parsed.data);
}

function withGoal(config: PotConfig, goal: number | undefined): PotConfig {
  if (goal === undefined) return { ...config, goal: undefined, goalMinor: undefined };
  const minor = majorToMinor(goal, config.currency, { round: true });
  if (!minor.ok) throw new PotRequestRefused(400, 'invalid_pot', `goal ${minor.reason}`, 'goal');
  return { ...config, goal, goalMinor: minor.minor };
}

/** What the audit trail keeps of a pot: all but secrets and request headers. */
function auditable(config: PotConfig): Record<string, unknown> {
  return { id: config.id, title: config.title, currency: config.currency, goal: config.goal, platform: config.platform, source: sourceView(config.source) };
}

export function sourceView(source: SourceConfig): SourceView {
  switch (source.kind) {
    case 'webhook': {
      const { secret: _secret, ...rest } = source;
      return rest;
    }
    case 'html':
    case 'http-json': {
      const { headers, ...rest } = source;
      return { ...rest, headerNames: Object.keys(headers) };
    }
    default:
      return source;
  }
}
