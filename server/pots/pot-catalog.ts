import type { Logger } from 'pino';
import type { PotConfig } from '../../shared/pot-config.js';
import type { PotsRepository, StoredPot } from '../db/pots-repository.js';

/** Hears of a pot that appeared or changed (configuration, pause, archive). */
export type CatalogListener = (pot: StoredPot, previous: StoredPot | undefined) => void;

/**
 * Every pot this server knows, as stored, held in memory: the pots file's and those admins
 * manage through the API. Changes made by this process are applied as soon as they are
 * committed; changes made by another process on the same database (a cluster worker) are
 * picked up by `refresh`.
 */
export class PotCatalog {
  private readonly pots = new Map<string, StoredPot>();
  private readonly listeners: CatalogListener[] = [];
  private seenRevision = -1;

  constructor(
    private readonly repository: PotsRepository,
    private readonly filePots: readonly PotConfig[],
    private readonly logger: Logger,
  ) {}

  /** Writes the pots file's pots to the database, then reads every pot. */
  load(now = Date.now()): void {
    this.repository.syncFilePots(this.filePots, now);
    this.refresh();
  }

  get(potId: string): StoredPot | undefined {
    return this.pots.get(potId);
  }

  all(): StoredPot[] {
    return [...this.pots.values()];
  }

  onChange(listener: CatalogListener): void {
    this.listeners.push(listener);
  }

  /** Takes in a change this process has just committed. */
  apply(pot: StoredPot): void {
    const previous = this.pots.get(pot.config.id);
    this.pots.set(pot.config.id, pot);
    for (const listener of this.listeners) listener(pot, previous);
  }

  /** Reads the pots again when another process changed them; cheap otherwise. */
  refresh(): void {
    const revision = this.repository.revision();
    if (revision === this.seenRevision) return;
    this.seenRevision = revision;
    const { pots, unreadable } = this.repository.all(this.filePots);
    for (const pot of unreadable) this.logger.warn({ potId: pot.id, reason: pot.reason }, 'a stored pot cannot be read; it is left out');
    for (const pot of pots) {
      const previous = this.pots.get(pot.config.id);
      if (previous && sameStoredPot(previous, pot)) continue;
      this.pots.set(pot.config.id, pot);
      for (const listener of this.listeners) listener(pot, previous);
    }
  }
}

function sameStoredPot(a: StoredPot, b: StoredPot): boolean {
  return a.paused === b.paused && a.archived === b.archived && JSON.stringify(a.config) === JSON.stringify(b.config);
}
