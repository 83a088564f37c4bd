import type { PotOrigin } from '../../shared/managed-pots.js';
import { potConfigSchema, withoutCredentials, withoutSecrets, type PotConfig } from '../../shared/pot-config.js';
import type { Database } from './database.js';
import { transaction } from './transaction.js';

/** A pot as stored: its configuration and what admins decided about it. */
export interface StoredPot {
  config: PotConfig;
  origin: PotOrigin;
  paused: boolean;
  archived: boolean;
  createdAt: number;
  updatedAt: number | null;
}

interface PotRow {
  id: string;
  title: string;
  currency: string;
  goal_minor: number | null;
  source: string;
  created_at: number;
  archived: number;
  origin: PotOrigin;
  config: string | null;
  paused: number;
  updated_at: number | null;
}

/** A stored pot that could not be read back (written by an older version, say), and why. */
export interface UnreadablePot {
  id: string;
  reason: string;
}

/**
 * The pots table. File pots are written at every start from the pots file; API pots are
 * written by admins. Every write bumps a revision, which other processes sharing the file
 * compare to know when to read the pots again.
 */
export class PotsRepository {
  private readonly selectAll;
  private readonly selectRevision;
  private readonly upsertFilePot;
  private readonly archiveMissingFilePots;
  private readonly insertApiPot;
  private readonly updatePot;

  constructor(private readonly db: Database) {
    this.selectAll = db.prepare<[], PotRow>('SELECT * FROM pots ORDER BY created_at, rowid');
    this.selectRevision = db.prepare<[], { revision: number | null }>('SELECT max(revision) AS revision FROM pots');
    const nextRevision = '(SELECT coalesce(max(revision), 0) + 1 FROM pots)';
    this.upsertFilePot = db.prepare(
      `INSERT INTO pots (id, title, currency, goal_minor, source, created_at, archived, origin, config, paused, updated_at, archived_at, revision)
       VALUES (@id, @title, @currency, @goalMinor, @source, @now, 0, 'file', @config, 0, @now, NULL, ${nextRevision})
       ON CONFLICT (id) DO UPDATE SET title = excluded.title, currency = excluded.currency,
         goal_minor = excluded.goal_minor, source = excluded.source, archived = 0, origin = 'file',
         config = excluded.config, paused = 0, archived_at = NULL, updated_at = excluded.updated_at,
         revision = excluded.revision
       WHERE pots.config IS NOT excluded.config OR pots.archived = 1 OR pots.origin <> 'file' OR pots.paused = 1`,
    );
    this.archiveMissingFilePots = db.prepare(
      `UPDATE pots SET archived = 1, archived_at = @now, updated_at = @now, revision = ${nextRevision}
       WHERE origin = 'file' AND archived = 0 AND id NOT IN (SELECT value FROM json_each(@ids))`,
    );
    this.insertApiPot = db.prepare(
      `INSERT INTO pots (id, title, currency, goal_minor, source, created_at, archived, origin, config, paused, updated_at, revision)
       VALUES (@id, @title, @currency, @goalMinor, @source, @now, 0, 'api', @config, 0, @now, ${nextRevision})
       ON CONFLICT (id) DO NOTHING`,
    );
    this.updatePot = db.prepare(
      `UPDATE pots SET title = @title, currency = @currency, goal_minor = @goalMinor, source = @source,
         config = @config, paused = @paused, archived = @archived,
         archived_at = CASE WHEN @archived = 1 THEN coalesce(archived_at, @now) ELSE NULL END,
         updated_at = @now, revision = ${nextRevision}
       WHERE id = @id`,
    );
  }

  /**
   * Writes the pots of the pots file, and archives the file pots it no longer lists. A pot
   * the file names takes over an API pot of the same id: the file is the stronger truth.
   * What is kept of a file pot leaves its secrets in the file.
   */
  syncFilePots(pots: readonly PotConfig[], now = Date.now()): void {
    transaction(this.db, () => {
      for (const pot of pots) {
        const config = withoutSecrets(pot);
        this.upsertFilePot.run({ ...columns(config), config: JSON.stringify(config), now });
      }
      this.archiveMissingFilePots.run({ ids: JSON.stringify(pots.map((pot) => pot.id)), now });
    });
  }

  /** Every pot, archived ones included; a file pot's secrets come from `filePots`. */
  all(filePots: readonly PotConfig[]): { pots: StoredPot[]; unreadable: UnreadablePot[] } {
    const fromFile = new Map(filePots.map((pot) => [pot.id, pot]));
    const pots: StoredPot[] = [];
    const unreadable: UnreadablePot[] = [];
    for (const row of this.selectAll.all()) {
      const stored = toStoredPot(row, fromFile.get(row.id));
      if ('reason' in stored) unreadable.push(stored);
      else pots.push(stored);
    }
    return { pots, unreadable };
  }

  /** Changes with every write to the table, by this process or another. */
  revision(): number {
    return this.selectRevision.get()?.revision ?? 0;
  }

  /** Adds an API pot; false when the id is taken (by any pot, archived ones included). */
  insert(config: PotConfig, now: number): boolean {
    return this.insertApiPot.run({ ...columns(config), config: JSON.stringify(config), now }).changes === 1;
  }

  /** Writes an API pot's new configuration and state. */
  update(pot: Pick<StoredPot, 'config' | 'paused' | 'archived'>, now: number): void {
    this.updatePot.run({
      ...columns(pot.config),
      config: JSON.stringify(pot.config),
      paused: pot.paused ? 1 : 0,
      archived: pot.archived ? 1 : 0,
      now,
    });
  }
}

function columns(pot: PotConfig) {
  return {
    id: pot.id,
    title: pot.title,
    currency: pot.currency,
    goalMinor: pot.goalMinor ?? null,
    source: JSON.stringify(publicSourceDescription(pot)),
  };
}

function toStoredPot(row: PotRow, filePot: PotConfig | undefined): StoredPot | UnreadablePot {
  const base = {
    origin: row.origin,
    paused: row.paused === 1,
    archived: row.archived === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (filePot && row.origin === 'file' && row.archived === 0) return { ...base, config: filePot };
  if (row.config === null) return { id: row.id, reason: 'stored before pots were kept whole in the database' };
  const parsed = potConfigSchema.safeParse(restoreSecretPlaceholder(JSON.parse(row.config)));
  if (!parsed.success) return { id: row.id, reason: parsed.error.issues[0]?.message ?? 'invalid configuration' };
  return { ...base, config: parsed.data };
}

/**
 * An archived file pot keeps no secret: it takes no readings, and a fresh random value
 * stands in where its configuration needs one.
 */
function restoreSecretPlaceholder(config: { source?: { kind?: string; secret?: string } }): unknown {
  if (config.source?.kind !== 'webhook' || config.source.secret) return config;
  return { ...config, source: { ...config.source, secret: crypto.randomUUID() } };
}

/** What may be stored and shown about a source: never its secret. */
export function publicSourceDescription(pot: PotConfig): Record<string, unknown> {
  const { source } = pot;
  switch (source.kind) {
    case 'webhook':
      return { kind: source.kind };
    case 'replay':
      return { kind: source.kind, scenario: source.scenario, speed: source.speed };
    default:
      return { kind: source.kind, url: withoutCredentials(source.url) };
  }
}
