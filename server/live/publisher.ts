import type { Server } from 'socket.io';
import { potRoom, type ClientToServerEvents, type ServerToClientEvents } from '../../shared/events.js';
import type { PotStatusInfo, Reading } from '../../shared/types.js';
import { Coalescer } from './coalescer.js';

export type PotwatchIo = Server<ClientToServerEvents, ServerToClientEvents>;

/**
 * Pushes pot changes to the viewers of each pot's room. A burst of readings for a pot
 * becomes at most one `reading` message per interval, carrying the newest state; each
 * message is encoded once by the room broadcast, whatever the number of viewers.
 *
 * It reaches the viewers connected to this process only: with several processes, each one
 * learns of every change (see StateRelay) and publishes to its own viewers, so that nothing
 * is sent twice and every process coalesces on its own. An event that starts in one process
 * only (a moderator's flag) is emitted with `io.to(room)` instead, which the adapter carries
 * to every process.
 */
export class Publisher {
  private readonly readings: Coalescer<Reading>;
  private closed = false;

  constructor(
    private readonly io: PotwatchIo,
    intervalMs = 250,
    private readonly onBroadcast: (event: keyof ServerToClientEvents) => void = () => {},
  ) {
    this.readings = new Coalescer<Reading>(
      intervalMs,
      (_pending, next) => next,
      (potId, reading) => this.emit('reading', potId, { potId, ...reading }),
    );
  }

  reading(potId: string, reading: Reading): void {
    this.readings.push(potId, reading);
  }

  status(potId: string, info: PotStatusInfo): void {
    if (this.closed) return;
    this.emit('status', potId, { potId, ...info });
  }

  /** Sends what is pending at once and stops accepting new messages. */
  close(): void {
    this.readings.close();
    this.closed = true;
  }

  private emit<E extends 'reading' | 'status'>(event: E, potId: string, payload: Parameters<ServerToClientEvents[E]>[0]): void {
    this.onBroadcast(event);
    (this.io.local.to(potRoom(potId)).emit as (event: E, payload: unknown) => boolean)(event, payload);
  }
}
