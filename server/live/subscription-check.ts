import { describeIssue, subscribePayloadSchema } from '../../shared/schemas.js';

/** A page shows a handful of pots at most; more is a client gone wrong or abuse. */
const MAX_SUBSCRIPTIONS_PER_SOCKET = 20;

export type SubscriptionCheck =
  | { ok: true; potId: string; room: string }
  | { ok: false; error: { code: string; message: string; field?: string } };

/**
 * Whether a socket in `rooms` may join the room of the pot a `subscribe` payload names: the
 * payload must name a tracked pot, and the socket have room for one more subscription.
 */
export function checkSubscription(
  payload: unknown,
  pots: { has(potId: string): boolean },
  rooms: ReadonlySet<string>,
  roomOf: (potId: string) => string,
): SubscriptionCheck {
  const parsed = subscribePayloadSchema.safeParse(payload);
  if (!parsed.success) return { ok: false, error: { code: 'invalid_payload', ...describeIssue(parsed.error) } };
  const { potId } = parsed.data;
  if (!pots.has(potId)) {
    return { ok: false, error: { code: 'pot_not_found', message: `there is no pot "${potId}"`, field: 'potId' } };
  }
  const room = roomOf(potId);
  if (!rooms.has(room) && rooms.size > MAX_SUBSCRIPTIONS_PER_SOCKET) {
    return {
      ok: false,
      error: { code: 'too_many_subscriptions', message: `at most ${MAX_SUBSCRIPTIONS_PER_SOCKET} pots per connection` },
    };
  }
  return { ok: true, potId, room };
}
