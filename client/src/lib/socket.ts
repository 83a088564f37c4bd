import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../shared/events.js';

export type PotwatchSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let shared: PotwatchSocket | undefined;

/** One connection per page, shared by every live view on it. WebSocket first, polling if blocked. */
export function connectSocket(): PotwatchSocket {
  shared ??= io({ transports: ['websocket', 'polling'], tryAllTransports: true });
  return shared;
}
