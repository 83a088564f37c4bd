import { potRoom, type SubscribeAck } from '../../shared/events.js';
import { describeIssue, subscribePayloadSchema } from '../../shared/schemas.js';
import { splitAck } from './ack-argument.js';
import type { PotStates } from './pot-states.js';
import type { PotwatchIo } from './publisher.js';

/** A page shows a handful of pots at most; more is a client gone wrong or abuse. */
export const MAX_SUBSCRIPTIONS_PER_SOCKET = 20;

/** Viewers join one room per pot they watch; everything they receive is public. */
export function attachViewerHandlers(io: PotwatchIo, states: PotStates): void {
  io.on('connection', (socket) => {
    socket.on('subscribe', (...args: unknown[]) => {
      const { payload, ack } = splitAck<SubscribeAck>(args);
      if (!ack) return;
      const parsed = subscribePayloadSchema.safeParse(payload);
      if (!parsed.success) {
        const issue = describeIssue(parsed.error);
        ack({ ok: false, error: { code: 'invalid_payload', ...issue } });
        return;
      }
      const { potId } = parsed.data;
      if (!states.has(potId)) {
        ack({ ok: false, error: { code: 'pot_not_found', message: `there is no pot "${potId}"`, field: 'potId' } });
        return;
      }
      const room = potRoom(potId);
      if (!socket.rooms.has(room) && socket.rooms.size > MAX_SUBSCRIPTIONS_PER_SOCKET) {
        ack({
          ok: false,
          error: { code: 'too_many_subscriptions', message: `at most ${MAX_SUBSCRIPTIONS_PER_SOCKET} pots per connection` },
        });
        return;
      }
      void socket.join(room);
      ack({ ok: true, pot: states.summary(potId), latest: states.latest(potId) ?? null });
    });

    socket.on('unsubscribe', (payload) => {
      const parsed = subscribePayloadSchema.safeParse(payload);
      if (parsed.success) void socket.leave(potRoom(parsed.data.potId));
    });
  });
}
