import type { Server } from 'socket.io';
import { potRoom, type ClientToServerEvents, type ServerToClientEvents } from '../../shared/events.js';
import type { PotStatusInfo, Reading } from '../../shared/types.js';

export type PotwatchIo = Server<ClientToServerEvents, ServerToClientEvents>;

interface PendingPot {
  lastSentAt: number;
  pending: Reading | undefined;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Pushes pot changes to the viewers of each pot's room. A burst of readings for a pot
 * becomes at most one `reading` message per interval, carrying the newest state; each
 * message is encoded once by the room broadcast, whatever the number of viewers.
 */
export class Publisher {
  private readonly pots = new Map<string, PendingPot>();
  private closed = false;

  constructor(
    private readonly io: PotwatchIo,
    private readonly intervalMs = 250,
  ) {}

  reading(potId: string, reading: Reading): void {
    if (this.closed) return;
    let pot = this.pots.get(potId);
    if (!pot) {
      pot = { lastSentAt: 0, pending: undefined, timer: undefined };
      this.pots.set(potId, pot);
    }
    pot.pending = reading;
    if (pot.timer) return;
    const wait = pot.lastSentAt + this.intervalMs - Date.now();
    if (wait <= 0) this.flush(potId, pot);
    else pot.timer = setTimeout(() => this.flush(potId, pot), wait);
  }

  status(potId: string, info: PotStatusInfo): void {
    if (this.closed) return;
    this.io.to(potRoom(potId)).emit('status', { potId, ...info });
  }

  /** Sends what is pending at once and stops accepting new messages. */
  close(): void {
    for (const [potId, pot] of this.pots) this.flush(potId, pot);
    this.closed = true;
  }

  private flush(potId: string, pot: PendingPot): void {
    if (pot.timer) clearTimeout(pot.timer);
    pot.timer = undefined;
    const reading = pot.pending;
    if (!reading) return;
    pot.pending = undefined;
    pot.lastSentAt = Date.now();
    this.io.to(potRoom(potId)).emit('reading', { potId, ...reading });
  }
}
