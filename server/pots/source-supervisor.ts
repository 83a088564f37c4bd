import type { Logger } from 'pino';
import type { ContributionsRepository } from '../db/contributions-repository.js';
import type { StoredPot } from '../db/pots-repository.js';
import type { Ingest } from '../ingest/ingest.js';
import type { PotStates } from '../live/pot-states.js';
import type { AddressPolicy } from '../sources/address-policy.js';
import type { PageRenderer } from '../sources/browser/page-renderer.js';
import type { RunningSource } from '../sources/source.js';
import { startSource } from '../sources/start-source.js';

export interface SupervisorDependencies {
  states: PotStates;
  ingest: Ingest;
  contributions: ContributionsRepository;
  renderer: PageRenderer;
  /** Applies to pots made through the API; the pots file's sources go where the operator wrote. */
  policy: AddressPolicy;
  logger: Logger;
  /** A source reported a failure or a pause, or stopped: the pot's status may have changed. */
  sourceStateChanged(potId: string): void;
}

interface Supervised {
  source: RunningSource | undefined;
  /** What the running source was started from: a change restarts it. */
  startedFrom: string;
}

/**
 * Runs the source behind every pot that should take readings: starts it when the pot
 * appears or is resumed, restarts it when its configuration changes, stops it when the pot is
 * paused or archived. Nothing here needs a restart of the server.
 */
export class SourceSupervisor {
  private readonly running = new Map<string, Supervised>();

  constructor(private readonly deps: SupervisorDependencies) {}

  sync(pot: StoredPot): void {
    const potId = pot.config.id;
    const wanted = !pot.archived && !pot.paused;
    const startedFrom = JSON.stringify([pot.config.currency, pot.origin, pot.config.source]);
    const current = this.running.get(potId);
    if (current && wanted && current.startedFrom === startedFrom) return;
    if (current) this.stop(potId, current);
    if (wanted) this.start(pot, startedFrom);
  }

  stopAll(): void {
    for (const [potId, supervised] of this.running) this.stop(potId, supervised);
  }

  private start(pot: StoredPot, startedFrom: string): void {
    const { states, ingest, contributions, renderer, policy, logger, sourceStateChanged } = this.deps;
    const potId = pot.config.id;
    const source = startSource({
      pot: pot.config,
      logger: logger.child({ potId, source: pot.config.source.kind }),
      latest: () => states.latest(potId),
      recentContributions: (limit) => contributions.listed(potId, limit),
      pages: { renderer, policy: pot.origin === 'api' ? policy : undefined },
      ingest: (batch) => ingest.submit(potId, batch),
      clear: () => ingest.clear(potId),
      reportFailure: (reason) => {
        states.setFailure(potId, reason);
        sourceStateChanged(potId);
      },
      reportPaused: (reason) => {
        states.setPaused(potId, reason);
        sourceStateChanged(potId);
      },
    });
    this.running.set(potId, { source, startedFrom });
  }

  private stop(potId: string, supervised: Supervised): void {
    supervised.source?.stop();
    this.running.delete(potId);
    // What the stopped source last said no longer describes the pot.
    this.deps.states.setFailure(potId, undefined);
    this.deps.states.setPaused(potId, undefined);
    this.deps.sourceStateChanged(potId);
  }
}
