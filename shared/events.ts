import type { PotStatusInfo, PotSummary, Reading } from './types.js';

export interface ReadingEvent extends Reading {
  potId: string;
}

export interface StatusEvent extends PotStatusInfo {
  potId: string;
}

export type SubscribeAck =
  | { ok: true; pot: PotSummary; latest: Reading | null }
  | { ok: false; error: { code: string; message: string; field?: string } };

export interface ServerToClientEvents {
  reading: (event: ReadingEvent) => void;
  status: (event: StatusEvent) => void;
}

export interface ClientToServerEvents {
  subscribe: (payload: { potId: string }, ack: (answer: SubscribeAck) => void) => void;
  unsubscribe: (payload: { potId: string }) => void;
}

export const potRoom = (potId: string): string => `pot:${potId}`;
