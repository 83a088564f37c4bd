import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../shared/events.js';

export type PotwatchSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let shared: PotwatchSocket | undefined;

/**
 * One connection per page, shared by every live view on it. WebSocket first, polling if
 * blocked. Socket.IO reconnects by itself after a network drop but not when the server
 * closes the connection (a restart): then we reconnect after a random delay, so that a
 * crowd of viewers does not come back all in the same second.
 */
export function connectSocket(): PotwatchSocket {
  if (shared) return shared;
  const socket: PotwatchSocket = io({ transports: ['websocket', 'polling'], tryAllTransports: true });
  socket.on('disconnect', (reason) => {
    if (reason === 'io server disconnect') setTimeout(() => socket.connect(), 1000 + Math.random() * 4000);
  });
  shared = socket;
  return socket;
}
