import { io, type Socket } from 'socket.io-client';
import {
  MODERATION_NAMESPACE,
  type ModerationClientToServerEvents,
  type ModerationServerToClientEvents,
} from '../../../shared/events.js';
import type { FlagReason, ModeratorFlag } from '../../../shared/flags.js';
import type { CreateFlagInput, UpdateFlagInput } from '../../../shared/schemas.js';
import { PotFlags } from '../lib/pot-flags.svelte.js';
import { confirmSession, moderatorRequest, session, sessionEnded } from './session.svelte.js';

export type ModeratorSocket = Socket<ModerationServerToClientEvents, ModerationClientToServerEvents>;

/** What the flag form holds while it is being filled in. */
export interface FlagFormValues {
  from: number | undefined;
  to: number | undefined;
  reason: FlagReason;
  note: string;
  published: boolean;
}

/** What the form sends: instants as epoch ms, turned into ISO-8601 on the wire. */
export type FlagDraft = Omit<CreateFlagInput, 'from' | 'to'> & { from: number; to: number };

/**
 * All flags of a pot for a signed-in moderator, drafts and notes included, kept live through
 * the moderators' own Socket.IO namespace. That connection is opened on its own (not shared
 * with the public one), after sign-in, so that its handshake carries the session cookie.
 */
export class ModeratorFlagsFeed {
  readonly flags: PotFlags<ModeratorFlag>;
  private readonly path: string;

  constructor(readonly potId: string) {
    this.flags = new PotFlags<ModeratorFlag>(potId);
    this.path = `/api/pots/${encodeURIComponent(potId)}/flags`;
  }

  /** `onSubscribed` lets others on the same channel (the suggestion queue) listen and reload too. */
  start(onSubscribed?: (socket: ModeratorSocket) => void): () => void {
    const socket: ModeratorSocket = io(MODERATION_NAMESPACE, {
      forceNew: true,
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      auth: { csrfToken: session.csrfToken },
    });
    socket.on('flag', (event) => this.flags.apply(event));
    socket.on('connect', () => {
      socket.emit('subscribe', { potId: this.potId }, (answer) => {
        if (!answer.ok) return;
        void this.reload();
        onSubscribed?.(socket);
      });
    });
    socket.on('connect_error', (error) => {
      if (error.message === 'not_signed_in' || error.message === 'bad_csrf_token') sessionEnded();
    });
    let stopped = false;
    socket.on('disconnect', async (reason) => {
      // The server closes a moderator's socket when the session ends, or when it restarts.
      if (reason === 'io server disconnect' && (await confirmSession()) && !stopped) socket.connect();
    });
    return () => {
      stopped = true;
      socket.disconnect();
    };
  }

  async create(draft: FlagDraft): Promise<ModeratorFlag> {
    const { flag } = await moderatorRequest<{ flag: ModeratorFlag }>('POST', this.path, wire(draft));
    this.flags.apply({ potId: this.potId, flag });
    return flag;
  }

  async update(id: number, patch: Omit<UpdateFlagInput, 'from' | 'to'> & { from?: number; to?: number }): Promise<ModeratorFlag> {
    const { flag } = await moderatorRequest<{ flag: ModeratorFlag }>('PATCH', `/api/flags/${id}`, wire(patch));
    this.flags.apply({ potId: this.potId, flag });
    return flag;
  }

  async remove(id: number): Promise<void> {
    await moderatorRequest('DELETE', `/api/flags/${id}`);
    this.flags.apply({ potId: this.potId, flag: { id }, removed: true });
  }

  private async reload(): Promise<void> {
    try {
      await this.flags.load(async () => (await moderatorRequest<{ flags: ModeratorFlag[] }>('GET', this.path)).flags);
    } catch {
      // Kept as it was; the next reconnection loads it again.
    }
  }
}

function wire<T extends { from?: number; to?: number }>(values: T): Omit<T, 'from' | 'to'> & { from?: string; to?: string } {
  const { from, to, ...rest } = values;
  return {
    ...rest,
    ...(from !== undefined ? { from: new Date(from).toISOString() } : {}),
    ...(to !== undefined ? { to: new Date(to).toISOString() } : {}),
  };
}
