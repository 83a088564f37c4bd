import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { potRoom } from '../../shared/events.js';
import { POT_STATUSES } from '../../shared/types.js';
import type { IngestResult } from '../ingest/ingest.js';
import type { PotStates } from '../live/pot-states.js';
import type { PotwatchIo } from '../live/publisher.js';

/** Where /metrics text comes from: this process, or every worker of a cluster. */
export interface MetricsSource {
  readonly contentType: string;
  text(): Promise<string>;
}

/**
 * The server's Prometheus metrics, in a registry of its own (several servers may share a
 * process in tests). Everything per viewer or per pot is read when scraped, never counted
 * on the broadcast path.
 */
export class PotwatchMetrics implements MetricsSource {
  readonly registry = new Registry();
  private readonly broadcasts: Counter<'event'>;
  private readonly readingsAccepted: Counter<'pot'>;
  private readonly readingsDuplicate: Counter<'pot'>;
  private readonly ingestDuration: Histogram<'pot'>;
  private io: PotwatchIo | undefined;

  constructor(states: PotStates) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    const self = this;
    new Gauge({
      name: 'potwatch_viewers_connected',
      help: 'Socket.IO connections open on this process',
      registers,
      collect() {
        this.set(self.io?.engine.clientsCount ?? 0);
      },
    });
    new Gauge({
      name: 'potwatch_pot_viewers',
      help: 'Connections on this process subscribed to a pot',
      labelNames: ['pot'],
      registers,
      collect() {
        for (const potId of states.ids()) {
          this.set({ pot: potId }, self.io?.sockets.adapter.rooms.get(potRoom(potId))?.size ?? 0);
        }
      },
    });
    new Gauge({
      name: 'potwatch_pot_status',
      help: 'Status of each pot and its source: 1 for the current status, 0 for the others',
      labelNames: ['pot', 'status'],
      aggregator: 'max',
      registers,
      collect() {
        for (const potId of states.ids()) {
          const { status } = states.statusInfo(potId);
          for (const candidate of POT_STATUSES) this.set({ pot: potId, status: candidate }, candidate === status ? 1 : 0);
        }
      },
    });
    new Gauge({
      name: 'potwatch_pot_last_reading_timestamp_seconds',
      help: 'Instant of the latest stored reading of each pot',
      labelNames: ['pot'],
      aggregator: 'max',
      registers,
      collect() {
        for (const potId of states.ids()) {
          const at = states.latest(potId)?.at;
          if (at !== undefined) this.set({ pot: potId }, at / 1000);
        }
      },
    });
    this.broadcasts = new Counter({
      name: 'potwatch_broadcasts_total',
      help: 'Room broadcasts sent to viewers (one per message, whatever the number of viewers)',
      labelNames: ['event'],
      registers,
    });
    this.readingsAccepted = new Counter({
      name: 'potwatch_readings_accepted_total',
      help: 'Readings committed to the database',
      labelNames: ['pot'],
      registers,
    });
    this.readingsDuplicate = new Counter({
      name: 'potwatch_readings_duplicate_total',
      help: 'Readings received again for an instant already stored',
      labelNames: ['pot'],
      registers,
    });
    this.ingestDuration = new Histogram({
      name: 'potwatch_ingest_duration_seconds',
      help: 'Time to store a batch of readings (one transaction) and announce it',
      labelNames: ['pot'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    });
  }

  watchViewers(io: PotwatchIo): void {
    this.io = io;
  }

  broadcast(event: string): void {
    this.broadcasts.inc({ event });
  }

  ingested(potId: string, result: IngestResult, seconds: number): void {
    if (result.accepted) this.readingsAccepted.inc({ pot: potId }, result.accepted);
    if (result.duplicates) this.readingsDuplicate.inc({ pot: potId }, result.duplicates);
    this.ingestDuration.observe({ pot: potId }, seconds);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
