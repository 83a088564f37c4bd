import type { Logger } from 'pino';
import { withoutSecrets } from '../../shared/pot-config.js';
import type { Reading } from '../../shared/types.js';
import type { StoredPot } from '../db/pots-repository.js';
import { Coalescer } from './coalescer.js';
import { summariseReadings, type PotStates, type PotStateSnapshot, type ReadingsSummary } from './pot-states.js';
import type { PotwatchIo } from './publisher.js';

/** What the processes tell each other, through the Socket.IO adapter's server-side events. */
interface RelayEvents {
  'potwatch:readings': (potId: string, summary: ReadingsSummary) => void;
  'potwatch:source': (potId: string, failure: string | null, pausedReason: string | null) => void;
  'potwatch:cleared': (potId: string) => void;
  /** A pot added or changed, without its secrets. */
  'potwatch:pot': (pot: StoredPot) => void;
  'potwatch:snapshot': (answer: (snapshot: RelaySnapshot | null) => void) => void;
}

type RelayIo = {
  serverSideEmit<E extends keyof RelayEvents>(event: E, ...args: Parameters<RelayEvents[E]>): boolean;
  /** Waits for every other process, up to the adapter's request timeout (5 s by default). */
  serverSideEmitWithAck(event: 'potwatch:snapshot'): Promise<Array<RelaySnapshot | null>>;
  on<E extends keyof RelayEvents>(event: E, listener: RelayEvents[E]): void;
};

/** What a process without the database starts from: the pots, and their states. */
interface RelaySnapshot {
  pots: StoredPot[];
  states: PotStateSnapshot[];
}

export interface RelayListeners {
  /** Another process stored readings and `states` took them in; the latest changed if given. */
  readings(potId: string, latest: Reading | undefined): void;
  /** A pot's source state or history changed elsewhere; statuses may need publishing. */
  changed(potId: string): void;
  /** A process with the database added or changed a pot. */
  pot(pot: StoredPot): void;
  /** The pots this process knows, for a process that starts without the database. */
  pots(): StoredPot[];
}

const RELAY_INTERVAL_MS = 50;

/**
 * Keeps the in-memory pot states of several processes in step. Each process tells the others
 * what it stored (coalesced: counts, earliest and newest reading) and what its sources report;
 * each process then publishes to its own viewers. A process without the database (fan-out)
 * starts from a snapshot given by one that has it.
 */
export class StateRelay {
  private readonly io: RelayIo;
  private readonly pending: Coalescer<ReadingsSummary>;

  constructor(
    io: PotwatchIo,
    private readonly states: PotStates,
    private readonly hasDatabase: boolean,
    private readonly logger: Logger,
    private readonly listeners: RelayListeners,
  ) {
    this.io = io as unknown as RelayIo;
    this.pending = new Coalescer<ReadingsSummary>(
      RELAY_INTERVAL_MS,
      (a, b) => ({
        count: a.count + b.count,
        earliest: b.earliest.at < a.earliest.at ? b.earliest : a.earliest,
        newest: b.newest.at > a.newest.at ? b.newest : a.newest,
      }),
      (potId, summary) => this.io.serverSideEmit('potwatch:readings', potId, summary),
    );
    this.io.on('potwatch:readings', (potId, summary) => {
      if (!states.has(potId)) return;
      listeners.readings(potId, states.recordSummary(potId, summary));
    });
    this.io.on('potwatch:source', (potId, failure, pausedReason) => {
      if (!states.has(potId)) return;
      states.setFailure(potId, failure ?? undefined);
      states.setPaused(potId, pausedReason ?? undefined);
      listeners.changed(potId);
    });
    this.io.on('potwatch:cleared', (potId) => {
      if (!states.has(potId)) return;
      states.clear(potId);
      listeners.changed(potId);
    });
    this.io.on('potwatch:pot', (pot) => {
      if (!hasDatabase) listeners.pot(pot);
    });
    this.io.on('potwatch:snapshot', (answer) =>
      answer(this.hasDatabase ? { pots: listeners.pots().map(publicPot), states: states.snapshot() } : null),
    );
  }

  readings(potId: string, inserted: readonly Reading[]): void {
    const summary = summariseReadings(inserted);
    if (summary) this.pending.push(potId, summary);
  }

  source(potId: string, state: { failure: string | undefined; pausedReason: string | undefined }): void {
    this.io.serverSideEmit('potwatch:source', potId, state.failure ?? null, state.pausedReason ?? null);
  }

  cleared(potId: string): void {
    this.io.serverSideEmit('potwatch:cleared', potId);
  }

  /** Tells the processes that serve viewers only of a pot added or changed here. */
  pot(pot: StoredPot): void {
    if (this.hasDatabase) this.io.serverSideEmit('potwatch:pot', publicPot(pot));
  }

  /** Takes the pot states of a process that has the database; false if none answered. */
  async loadSnapshot(): Promise<boolean> {
    let answers: Array<RelaySnapshot | null>;
    try {
      answers = await this.io.serverSideEmitWithAck('potwatch:snapshot');
    } catch (error) {
      this.logger.warn({ err: error }, 'no complete answer to the state snapshot request');
      return false;
    }
    const snapshot = answers.find((answer) => answer !== null);
    if (!snapshot) return false;
    for (const pot of snapshot.pots) this.listeners.pot(pot);
    this.states.restore(snapshot.states);
    return true;
  }

  close(): void {
    this.pending.close();
  }
}

const publicPot = (pot: StoredPot): StoredPot => ({ ...pot, config: withoutSecrets(pot.config) });
