import type { PotStatus, PotStatusInfo, PotSummary, Reading } from '../../shared/types.js';
import { SECOND } from '../../shared/time.js';
import type { PotConfig } from '../../shared/pot-config.js';
import type { ReadingsRepository } from '../db/readings-repository.js';
import { REPLAYS } from '../sources/scenarios/replays.js';

interface PotState {
  config: PotConfig;
  /** Archived by an admin: history readable, source stopped, no longer listed. */
  archived: boolean;
  /** Paused by an admin: source stopped until resumed. */
  heldByAdmin: boolean;
  latest: Reading | undefined;
  firstReadingAt: number | null;
  readings: number;
  /** Wall-clock time of the last accepted reading: a replay's readings carry historical times. */
  lastReceivedAt: number | null;
  failure: string | undefined;
  /** Why the guard holds the latest figures back, if it does. */
  heldReason: string | undefined;
  pausedReason: string | undefined;
  status: PotStatus;
  /** The status before the last change seen by `refreshStatuses`. */
  previousStatus: PotStatus | undefined;
}

/** A pot to follow, with what admins decided about it. */
export interface TrackedPot {
  config: PotConfig;
  archived: boolean;
  paused: boolean;
}

/** A batch of stored readings, as much of it as the in-memory state needs. */
export interface ReadingsSummary {
  count: number;
  earliest: Reading;
  newest: Reading;
}

export interface PotStateSnapshot {
  potId: string;
  latest: Reading | null;
  firstReadingAt: number | null;
  readings: number;
  lastReceivedAt: number | null;
  failure: string | null;
  pausedReason: string | null;
}

export function summariseReadings(readings: readonly Reading[]): ReadingsSummary | undefined {
  if (readings.length === 0) return undefined;
  let earliest = readings[0]!;
  let newest = readings[0]!;
  for (const reading of readings) {
    if (reading.at < earliest.at) earliest = reading;
    if (reading.at > newest.at) newest = reading;
  }
  return { count: readings.length, earliest, newest };
}


/**
 * The latest state of every pot, held in memory so that no viewer ever costs a query.
 * Loaded once from the database at start, then kept current by ingest and sources.
 */
export class PotStates {
  private readonly states = new Map<string, PotState>();

  constructor(
    pots: readonly PotConfig[],
    private readonly readings: ReadingsRepository,
    now = Date.now(),
  ) {
    for (const config of pots) this.track({ config, archived: false, paused: false }, now);
  }

  /**
   * Starts following a pot, or takes in its new configuration and what admins decided
   * (archived, paused). Its history is read once, when it is first tracked.
   */
  track(pot: TrackedPot, now = Date.now()): void {
    const known = this.states.get(pot.config.id);
    if (known) {
      known.config = pot.config;
      known.archived = pot.archived;
      known.heldByAdmin = pot.paused;
      return;
    }
    const { config } = pot;
    const latest = this.readings.latest(config.id);
    const state: PotState = {
      config,
      archived: pot.archived,
      heldByAdmin: pot.paused,
      latest,
      firstReadingAt: this.readings.first(config.id)?.at ?? null,
      readings: this.readings.count(config.id),
      lastReceivedAt: latest && config.source.kind !== 'replay' ? Math.min(latest.at, now) : null,
      failure: undefined,
      heldReason: undefined,
      pausedReason: undefined,
      status: 'stale',
      previousStatus: undefined,
    };
    state.status = computeStatus(state, now);
    this.states.set(config.id, state);
  }

  /** A pot whose history can be read, archived or not. */
  has(potId: string): boolean {
    return this.states.has(potId);
  }

  /** A pot that takes readings and viewers: tracked, not archived. */
  isActive(potId: string): boolean {
    const state = this.states.get(potId);
    return state !== undefined && !state.archived;
  }

  isArchived(potId: string): boolean {
    return this.states.get(potId)?.archived ?? false;
  }

  isPausedByAdmin(potId: string): boolean {
    return this.states.get(potId)?.heldByAdmin ?? false;
  }

  ids(): string[] {
    return [...this.states.keys()];
  }

  /** The pots listed to the public: every one not archived. */
  activeIds(): string[] {
    return [...this.states].filter(([, state]) => !state.archived).map(([potId]) => potId);
  }

  archivedIds(): string[] {
    return [...this.states].filter(([, state]) => state.archived).map(([potId]) => potId);
  }

  config(potId: string): PotConfig | undefined {
    return this.states.get(potId)?.config;
  }

  latest(potId: string): Reading | undefined {
    return this.states.get(potId)?.latest;
  }

  counts(potId: string): { readings: number; firstReadingAt: number | null } {
    const state = this.require(potId);
    return { readings: state.readings, firstReadingAt: state.firstReadingAt };
  }

  /** Records newly stored readings. Returns the new latest reading if it changed. */
  recordReadings(potId: string, inserted: readonly Reading[], now = Date.now()): Reading | undefined {
    const summary = summariseReadings(inserted);
    return summary && this.recordSummary(potId, summary, now);
  }

  /** Records what another process stored; returns the new latest reading if it changed. */
  recordSummary(potId: string, summary: ReadingsSummary, now = Date.now()): Reading | undefined {
    const state = this.require(potId);
    state.readings += summary.count;
    if (state.firstReadingAt === null || summary.earliest.at < state.firstReadingAt) {
      state.firstReadingAt = summary.earliest.at;
    }
    if (state.latest && summary.newest.at <= state.latest.at) return undefined;
    state.latest = summary.newest;
    state.lastReceivedAt = now;
    return summary.newest;
  }

  /** Everything another process needs to take over this process's view of the pots. */
  snapshot(): PotStateSnapshot[] {
    return [...this.states].map(([potId, state]) => ({
      potId,
      latest: state.latest ?? null,
      firstReadingAt: state.firstReadingAt,
      readings: state.readings,
      lastReceivedAt: state.lastReceivedAt,
      failure: state.failure ?? null,
      pausedReason: state.pausedReason ?? null,
    }));
  }

  /** Takes over another process's view of the pots this process knows. */
  restore(snapshot: readonly PotStateSnapshot[], now = Date.now()): void {
    for (const entry of snapshot) {
      const state = this.states.get(entry.potId);
      if (!state) continue;
      // A reading relayed while the snapshot was on its way is newer than the snapshot.
      const keepOwn = state.latest && (!entry.latest || state.latest.at > entry.latest.at);
      if (!keepOwn) state.latest = entry.latest ?? undefined;
      state.firstReadingAt = entry.firstReadingAt;
      state.readings = entry.readings;
      state.lastReceivedAt = entry.lastReceivedAt;
      state.failure = entry.failure ?? undefined;
      state.pausedReason = entry.pausedReason ?? undefined;
      state.status = computeStatus(state, now);
    }
  }

  /** Forgets a pot's history (its stored readings were removed). */
  clear(potId: string): void {
    const state = this.require(potId);
    state.latest = undefined;
    state.firstReadingAt = null;
    state.readings = 0;
    state.lastReceivedAt = null;
  }

  /** A source's last attempt failed (reason) or succeeded (undefined). */
  setFailure(potId: string, reason: string | undefined): void {
    this.require(potId).failure = reason;
  }

  setHeld(potId: string, reason: string | undefined): void {
    this.require(potId).heldReason = reason;
  }

  /**
   * Reads a pot's history summary again after another process (the CSV import) wrote to
   * the database. Returns the new latest reading if it changed.
   */
  reload(potId: string, readings: ReadingsRepository, now = Date.now()): Reading | undefined {
    const state = this.require(potId);
    const latest = readings.latest(potId);
    const firstReadingAt = readings.first(potId)?.at ?? null;
    // Counting a big pot's readings takes tens of milliseconds: recount only when an end of its
    // history moved (a relayed batch has already been counted, and moves neither).
    if (latest?.at !== state.latest?.at || firstReadingAt !== state.firstReadingAt) state.readings = readings.count(potId);
    state.firstReadingAt = firstReadingAt;
    if (latest?.at === state.latest?.at) return undefined;
    state.latest = latest;
    if (latest && state.config.source.kind !== 'replay') {
      state.lastReceivedAt = Math.max(state.lastReceivedAt ?? 0, Math.min(latest.at, now));
    }
    return latest;
  }

  setPaused(potId: string, reason: string | undefined): void {
    this.require(potId).pausedReason = reason;
  }

  /** What the pot's source last reported: a failure, a pause, both or neither. */
  sourceState(potId: string): { failure: string | undefined; pausedReason: string | undefined } {
    const { failure, pausedReason } = this.require(potId);
    return { failure, pausedReason };
  }

  /** Recomputes statuses; returns the pots whose status changed. */
  refreshStatuses(now = Date.now()): string[] {
    const changed: string[] = [];
    for (const [potId, state] of this.states) {
      const status = computeStatus(state, now);
      if (status !== state.status) {
        state.previousStatus = state.status;
        state.status = status;
        changed.push(potId);
      }
    }
    return changed;
  }

  /** What the pot's status was before its last change, if it changed since it was tracked. */
  previousStatus(potId: string): PotStatus | undefined {
    return this.require(potId).previousStatus;
  }

  statusInfo(potId: string): PotStatusInfo {
    const state = this.require(potId);
    const reason = state.status === 'paused' ? pausedReason(state) : state.status === 'stale' ? staleReason(state) : undefined;
    return {
      status: state.status,
      lastReadingAt: state.latest?.at ?? null,
      ...(reason ? { reason } : {}),
    };
  }

  summary(potId: string): PotSummary {
    const state = this.require(potId);
    const { config } = state;
    return {
      id: config.id,
      title: config.title,
      currency: config.currency,
      ...(config.goal !== undefined ? { goal: config.goal, goalMinor: config.goalMinor } : {}),
      ...(state.latest ? { latest: state.latest } : {}),
      ...this.statusInfo(potId),
      ...(state.archived ? { archived: true } : {}),
      source: {
        kind: config.source.kind,
        replay: config.source.kind === 'replay',
        ...(config.source.kind === 'replay' ? { replaySpeed: config.source.speed } : {}),
        ...platformOf(config),
      },
    };
  }

  private require(potId: string): PotState {
    const state = this.states.get(potId);
    if (!state) throw new Error(`unknown pot ${potId}`);
    return state;
  }
}

function platformOf(config: PotConfig): { platform?: string } {
  if (config.platform) return { platform: config.platform };
  const { source } = config;
  if (source.kind === 'replay') return { platform: REPLAYS[source.scenario].platform };
  if (source.kind === 'http-json' || source.kind === 'html') return { platform: new URL(source.url).hostname };
  return {};
}

/** How long a pot may go without a new reading before it is shown as stale. */
export function staleAfterMs(config: PotConfig): number {
  const { source } = config;
  switch (source.kind) {
    case 'webhook':
      return source.staleAfterSeconds * SECOND;
    case 'replay':
      return 10 * SECOND;
    default:
      return Math.max(3 * source.everySeconds * SECOND, 10 * SECOND);
  }
}

function computeStatus(state: PotState, now: number): PotStatus {
  if (state.archived || state.heldByAdmin || state.pausedReason) return 'paused';
  if (state.failure || state.heldReason) return 'stale';
  if (state.lastReceivedAt === null) return 'stale';
  return now - state.lastReceivedAt > staleAfterMs(state.config) ? 'stale' : 'live';
}

function pausedReason(state: PotState): string | undefined {
  if (state.archived) return 'archived';
  if (state.heldByAdmin) return 'paused by an admin';
  return state.pausedReason;
}

function staleReason(state: PotState): string {
  if (state.failure) return state.failure;
  if (state.heldReason) return state.heldReason;
  if (state.lastReceivedAt === null) return 'no reading yet';
  return 'no new reading recently';
}
