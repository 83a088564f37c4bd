import { potRoom, type SubscribeAck } from '../../shared/events.js';
import { subscribePayloadSchema } from '../../shared/schemas.js';
import { splitAck } from './ack-argument.js';
import type { PotStates } from './pot-states.js';
import type { PotwatchIo } from './publisher.js';
import { checkSubscription } from './subscription-check.js';

/** Viewers join one room per pot they watch; everything they receive is public. */
export function attachViewerHandlers(io: PotwatchIo, states: PotStates): void {
  io.on('connection', (socket) => {
    socket.on('subscribe', (...args: unknown[]) => {
      const { payload, ack } = splitAck<SubscribeAck>(args);
      if (!ack) return;
      const check = checkSubscription(payload, states, socket.rooms, potRoom);
      if (!check.ok) {
        ack(check);
        return;
      }
      void socket.join(check.room);
      ack({ ok: true, pot: states.summary(check.potId), latest: states.latest(check.potId) ?? null });
    });

    socket.on('unsubscribe', (payload) => {
      const parsed = subscribePayloadSchema.safeParse(payload);
      if (parsed.success) void socket.leave(potRoom(parsed.data.potId));
    });
  });
}
