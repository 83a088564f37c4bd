import type { Reading } from '../../shared/types.js';
import type { PotConfig } from '../../shared/pot-config.js';
import type { Database } from '../db/database.js';
import { QuarantineRepository, type QuarantinedReading } from '../db/quarantine-repository.js';
import type { Contribution, ReadingsRepository } from '../db/readings-repository.js';
import { transaction } from '../db/transaction.js';
import { WritePause } from '../db/write-pause.js';
import {
  describeIssue,
  guardPolicy,
  judgeLateReading,
  judgeReading,
  type GuardIssue,
  type GuardPolicy,
  type GuardView,
} from './guard.js';

/** A reading as a source delivers it, with its values as received for the audit trail. */
export interface IncomingReading extends Reading {
  raw?: string | undefined;
}

export interface IngestBatch {
  readings: readonly IncomingReading[];
  contributions?: readonly Contribution[];
  /** Which kind of source delivered it (webhook, http-json, html, csv, replay). */
  origin?: string;
  /**
   * On disk (fsync) before `submit` returns, so that even a power loss keeps it: for a
   * delivery acknowledged to a sender that then forgets it. Other writes may lose their last
   * transactions to a power loss (WAL with synchronous=NORMAL), never to a process crash.
   */
  durable?: boolean;
}

export interface IngestResult {
  /** Readings of the batch now in the public series. */
  accepted: number;
  /** Readings already stored for the same instant (a replayed delivery). */
  duplicates: number;
  /** Readings the guard held back or discarded (see `guard.ts`). */
  quarantined: number;
}

export type CommittedListener = (potId: string, inserted: readonly Reading[]) => void;
export type ClearedListener = (potId: string) => void;
/** Hears of readings being stored, inside their transaction: `before` was the pot's newest reading until then. */
export type StoringListener = (potId: string, before: Reading | undefined, inserted: readonly Reading[]) => void;
export type SubmittedListener = (potId: string, result: IngestResult, seconds: number) => void;
/** Hears why a pot's latest figures are held for review, or `undefined` when none are. */
export type HeldListener = (potId: string, reason: string | undefined) => void;

interface PotGuard {
  policy: GuardPolicy;
  currency: string;
}

interface WriteOutcome {
  inserted: Reading[];
  result: IngestResult;
  heldChanged: boolean;
}

/**
 * The one way readings enter the database. A batch is written in one transaction, through
 * the guard, and listeners hear of it only after the commit, so nothing is announced that
 * could be lost. The guard's state (newest reading, held readings) is read from the
 * database in each transaction, so that another process writing the same file (the CSV
 * import) is taken into account.
 */
export class Ingest {
  private readonly listeners: CommittedListener[] = [];
  private readonly storingListeners: StoringListener[] = [];
  private readonly clearedListeners: ClearedListener[] = [];
  private readonly heldListeners: HeldListener[] = [];
  private readonly quarantine: QuarantineRepository;
  private readonly guards = new Map<string, PotGuard>();
  private readonly submittedListeners: SubmittedListener[] = [];
  private readonly writePause = new WritePause();

  constructor(
    private readonly db: Database,
    private readonly readings: ReadingsRepository,
    pots: readonly PotConfig[] = [],
    private readonly now: () => number = Date.now,
  ) {
    this.quarantine = new QuarantineRepository(db);
    for (const pot of pots) this.configure(pot);
  }

  /** Takes in a pot's currency and guard settings, new or changed. */
  configure(pot: PotConfig): void {
    this.guards.set(pot.id, { policy: guardPolicy(pot.currency, pot.guard), currency: pot.currency });
  }

  onCommitted(listener: CommittedListener): void {
    this.listeners.push(listener);
  }

  /**
   * Hears of readings inside the transaction that stores them, before the commit: for what
   * must be written with them or not at all (the outbox). A listener that throws rolls the
   * batch back.
   */
  onStoring(listener: StoringListener): void {
    this.storingListeners.push(listener);
  }

  onCleared(listener: ClearedListener): void {
    this.clearedListeners.push(listener);
  }

  onHeld(listener: HeldListener): void {
    this.heldListeners.push(listener);
  }

  /** Hears of every batch, stored or not, with the time it took (for metrics). */
  onSubmitted(listener: SubmittedListener): void {
    this.submittedListeners.push(listener);
  }

  /** Removes a pot's whole history; only a replay that starts over does this. */
  clear(potId: string): void {
    this.readings.clear(potId);
    this.quarantine.clear(potId);
    for (const listener of this.clearedListeners) listener(potId);
  }

  /** Why the pot's latest figures are held for review, if they are. */
  heldReason(potId: string): string | undefined {
    const first = this.quarantine.held(potId)[0];
    return first && heldReasonText(first);
  }

  submit(potId: string, batch: IngestBatch): IngestResult {
    this.writePause.check();
    const started = performance.now();
    let outcome: WriteOutcome;
    try {
      // Immediate: take the write lock before reading the guard's state, so that a second
      // process cannot slip a reading in between.
      outcome = transaction(this.db, () => this.apply(potId, batch), { immediate: true, durable: batch.durable });
    } catch (error) {
      this.writePause.failed(error);
      throw error;
    }
    if (outcome.inserted.length > 0) for (const listener of this.listeners) listener(potId, outcome.inserted);
    if (outcome.heldChanged) {
      const reason = this.heldReason(potId);
      for (const listener of this.heldListeners) listener(potId, reason);
    }
    const seconds = (performance.now() - started) / 1000;
    for (const listener of this.submittedListeners) listener(potId, outcome.result, seconds);
    return outcome.result;
  }

  /**
   * A person's decision on a held reading. Releasing it puts it in the public series with the
   * held readings before it (they lead up to it); discarding drops it alone. `record` runs in
   * the same transaction (the audit entry). Undefined when the reading is not held.
   */
  resolveHeldByHand(
    potId: string,
    readingId: number,
    decision: 'release' | 'discard',
    record: (reading: QuarantinedReading) => void,
  ): QuarantinedReading | undefined {
    this.writePause.check();
    let outcome: { reading: QuarantinedReading; inserted: Reading[] } | undefined;
    try {
      outcome = transaction(
        this.db,
        () => {
          const reading = this.quarantine.byId(readingId);
          if (!reading || reading.potId !== potId || reading.status !== 'held') return undefined;
          const now = this.now();
          const inserted: Reading[] = [];
          const settled = decision === 'release' ? this.quarantine.held(potId).filter((held) => held.at <= reading.at) : [reading];
          for (const held of settled) {
            this.quarantine.resolveOne(held.id, decision === 'release' ? 'released' : 'discarded', now);
            if (decision === 'release') inserted.push(...this.readings.insert(potId, [plainReading(held)]));
          }
          record(reading);
          return { reading, inserted };
        },
        { immediate: true },
      );
    } catch (error) {
      this.writePause.failed(error);
      throw error;
    }
    if (!outcome) return undefined;
    if (outcome.inserted.length > 0) for (const listener of this.listeners) listener(potId, outcome.inserted);
    const reason = this.heldReason(potId);
    for (const listener of this.heldListeners) listener(potId, reason);
    return outcome.reading;
  }

  private apply(potId: string, batch: IngestBatch): WriteOutcome {
    const { policy, currency } = this.guardOf(potId);
    const origin = batch.origin ?? 'unknown';
    const receivedAt = this.now();
    const sorted = [...batch.readings].sort((a, b) => a.at - b.at);
    const inserted: Reading[] = [];
    const ownInstants = new Set<number>();
    let duplicates = 0;
    let heldChanged = false;

    const before = this.readings.latest(potId);
    let tail = before;
    let held: Reading[] = this.quarantine.held(potId).map(plainReading);
    const quarantinedAfterTail = this.quarantine.instantsAfter(potId, tail?.at ?? -1);
    const view: GuardView = {
      get tail() {
        return tail;
      },
      get held() {
        return held;
      },
      paceBase: () => {
        if (!tail) return undefined;
        const windowStart = this.readings.atOrBefore(potId, tail.at - policy.paceWindowMs) ?? this.readings.first(potId);
        const confirmedAt = this.quarantine.lastReleasedAt(potId, tail.at);
        const sinceChange = confirmedAt === undefined ? undefined : this.readings.atOrBefore(potId, confirmedAt);
        return sinceChange && (!windowStart || sinceChange.at > windowStart.at) ? sinceChange : windowStart;
      },
    };
    const store = (reading: Reading) => {
      const plain = plainReading(reading);
      if (this.readings.insert(potId, [plain]).length === 1) inserted.push(plain);
    };
    const quarantine = (reading: IncomingReading, issue: GuardIssue, status: 'held' | 'discarded') => {
      this.quarantine.add(potId, {
        at: reading.at,
        amountMinor: reading.amountMinor,
        contributors: reading.contributors,
        reasonCode: issue.code,
        reason: describeIssue(issue, currency),
        raw: reading.raw,
        origin,
        status,
        receivedAt,
      });
      quarantinedAfterTail.add(reading.at);
    };
    const discardHeld = () => {
      this.quarantine.resolveHeld(potId, 'discarded', receivedAt);
      held = [];
      heldChanged = true;
    };

    let previousAt: number | undefined;
    for (const reading of sorted) {
      if (reading.at === previousAt) {
        duplicates++;
        continue;
      }
      previousAt = reading.at;
      ownInstants.add(reading.at);

      if (tail && reading.at <= tail.at) {
        if (this.readings.has(potId, reading.at) || this.quarantine.has(potId, reading.at)) {
          duplicates++;
          continue;
        }
        const issue = judgeLateReading(
          this.readings.atOrBefore(potId, reading.at),
          this.readings.firstAfter(potId, reading.at),
          reading,
        );
        if (issue) quarantine(reading, issue, 'discarded');
        else store(reading);
        continue;
      }
      if (quarantinedAfterTail.has(reading.at)) {
        duplicates++;
        continue;
      }

      const verdict = judgeReading(view, reading, policy);
      switch (verdict.action) {
        case 'accept':
          if (verdict.discardHeld) discardHeld();
          store(reading);
          tail = reading;
          break;
        case 'hold':
          if (verdict.discardHeld) discardHeld();
          quarantine(reading, verdict.issue, 'held');
          held.push(plainReading(reading));
          heldChanged = true;
          break;
        case 'confirm':
          quarantine(reading, verdict.issue, 'held');
          for (const confirmed of [...held, reading]) store(confirmed);
          this.quarantine.resolveHeld(potId, 'released', receivedAt);
          tail = reading;
          held = [];
          heldChanged = true;
          break;
      }
    }

    if (batch.contributions?.length) this.readings.insertContributions(potId, batch.contributions);
    if (inserted.length > 0) for (const listener of this.storingListeners) listener(potId, before, inserted);
    const accepted = inserted.filter((reading) => ownInstants.has(reading.at)).length;
    return {
      inserted,
      heldChanged,
      result: { accepted, duplicates, quarantined: batch.readings.length - duplicates - accepted },
    };
  }

  private guardOf(potId: string): PotGuard {
    let guard = this.guards.get(potId);
    if (!guard) {
      guard = { policy: guardPolicy('EUR'), currency: 'EUR' };
      this.guards.set(potId, guard);
    }
    return guard;
  }
}

const plainReading = (reading: Reading): Reading => ({
  at: reading.at,
  amountMinor: reading.amountMinor,
  contributors: reading.contributors,
});

function heldReasonText(first: QuarantinedReading): string {
  return `latest figures held for review: ${first.reason}`;
}
