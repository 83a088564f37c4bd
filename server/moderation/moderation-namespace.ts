import type { Namespace } from 'socket.io';
import {
  moderationRoom,
  type ModerationClientToServerEvents,
  type ModerationSubscribeAck,
  type ModerationServerToClientEvents,
} from '../../shared/events.js';
import { subscribePayloadSchema } from '../../shared/schemas.js';
import { splitAck } from '../live/ack-argument.js';
import type { PotStates } from '../live/pot-states.js';
import { checkSubscription } from '../live/subscription-check.js';
import { readAnySessionToken } from './session-cookie.js';
import type { SessionStore } from './session-store.js';
import { csrfTokenMatches } from './tokens.js';

interface ModeratorSocketData {
  sessionId: string;
}

export type ModerationNamespace = Namespace<
  ModerationClientToServerEvents,
  ModerationServerToClientEvents,
  Record<string, never>,
  ModeratorSocketData
>;

const sessionRoom = (sessionId: string) => `session:${sessionId}`;

/**
 * The moderators' live channel. A connection is accepted only with a live session cookie and
 * the session's CSRF token in the handshake's `auth`, so that no other site's page can open
 * one in a moderator's name. Sockets whose session ends (sign-out, expiry, account removed)
 * are disconnected.
 */
export class ModerationChannel {
  private readonly sweepTimer: NodeJS.Timeout;

  constructor(
    private readonly nsp: ModerationNamespace,
    private readonly sessions: SessionStore,
    states: PotStates,
    sweepMs: number,
  ) {
    nsp.use((socket, next) => {
      const token = readAnySessionToken(socket.request.headers);
      const session = this.sessions.resolve(token);
      if (!session) return next(new Error('not_signed_in'));
      if (session.enrolmentOnly) return next(new Error('second_factor_required'));
      const auth = socket.handshake.auth as { csrfToken?: unknown } | undefined;
      const csrfToken = typeof auth?.csrfToken === 'string' ? auth.csrfToken : undefined;
      if (!csrfTokenMatches(session.token, csrfToken)) return next(new Error('bad_csrf_token'));
      socket.data.sessionId = session.id;
      void socket.join(sessionRoom(session.id));
      next();
    });

    nsp.on('connection', (socket) => {
      const { sessionId } = socket.data;
      socket.on('subscribe', (...args: unknown[]) => {
        const { payload, ack } = splitAck<ModerationSubscribeAck>(args);
        if (!ack) return;
        if (!this.sessions.isActive(sessionId)) {
          ack({ ok: false, error: { code: 'not_signed_in', message: 'the session has ended' } });
          socket.disconnect(true);
          return;
        }
        const check = checkSubscription(payload, states, socket.rooms, moderationRoom);
        if (!check.ok) {
          ack(check);
          return;
        }
        void socket.join(check.room);
        ack({ ok: true });
      });
      socket.on('unsubscribe', (payload) => {
        const parsed = subscribePayloadSchema.safeParse(payload);
        if (parsed.success) void socket.leave(moderationRoom(parsed.data.potId));
      });
    });

    this.sweepTimer = setInterval(() => this.sweep(), sweepMs);
    this.sweepTimer.unref();
  }

  /** Disconnects the sockets of a session that was just closed. */
  endSession(sessionId: string): void {
    this.nsp.in(sessionRoom(sessionId)).disconnectSockets(true);
  }

  /** Disconnects every socket whose session is no longer live. */
  sweep(): void {
    for (const socket of this.nsp.sockets.values()) {
      if (!this.sessions.isActive(socket.data.sessionId)) socket.disconnect(true);
    }
  }

  close(): void {
    clearInterval(this.sweepTimer);
  }
}
