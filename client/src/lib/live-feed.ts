import type { EmbedLiveMode } from '../../../shared/embed-options.js';
import type { AnnotationEvent } from '../../../shared/annotations.js';
import type { FlagEvent, ReadingEvent, StatusEvent } from '../../../shared/events.js';
import type { PotStatusInfo, PotSummary, Reading } from '../../../shared/types.js';
import { ApiError, fetchLiveSnapshot } from './api.js';
import { connectSocket, type PotwatchSocket } from './socket.js';

/** What a feed tells the view of one pot. */
export interface LiveListener {
  /**
   * The feed reached the pot (first, or again after losing it): its latest state, and its
   * description when the feed carries one. What happened in between may be missing.
   */
  joined(answer: { pot?: PotSummary; latest: Reading | null; status: PotStatusInfo }): void;
  reading(event: ReadingEvent): void;
  status(event: StatusEvent): void;
  flag(event: FlagEvent): void;
  annotation(event: AnnotationEvent): void;
  /** The feed lost the pot; it keeps trying. */
  lost(): void;
  /** The feed gave up: there is no such pot, or it was refused. */
  failed(error: 'not_found' | 'load_failed'): void;
}

/** A way of hearing a pot's changes; `follow` returns how to stop. */
export interface LiveFeed {
  follow(potId: string, listener: LiveListener): () => void;
}

/** The page as it was served: nothing more is heard. */
export const noFeed: LiveFeed = { follow: () => () => {} };

/** The pot's room on the shared Socket.IO connection. */
export function socketFeed(socket: PotwatchSocket): LiveFeed {
  return {
    follow(potId, listener) {
      let stopped = false;
      const subscribe = () =>
        socket.emit('subscribe', { potId }, (answer) => {
          if (stopped) return;
          if (!answer.ok) listener.failed(answer.error.code === 'pot_not_found' ? 'not_found' : 'load_failed');
          else listener.joined({ pot: answer.pot, latest: answer.latest, status: answer.pot });
        });
      const onDisconnect = () => listener.lost();
      const onReading = (event: ReadingEvent) => listener.reading(event);
      const onStatus = (event: StatusEvent) => listener.status(event);
      const onFlag = (event: FlagEvent) => listener.flag(event);
      const onAnnotation = (event: AnnotationEvent) => listener.annotation(event);
      socket.on('connect', subscribe);
      socket.on('disconnect', onDisconnect);
      socket.on('reading', onReading);
      socket.on('status', onStatus);
      socket.on('flag', onFlag);
      socket.on('annotation', onAnnotation);
      if (socket.connected) subscribe();
      return () => {
        stopped = true;
        socket.off('connect', subscribe);
        socket.off('disconnect', onDisconnect);
        socket.off('reading', onReading);
        socket.off('status', onStatus);
        socket.off('flag', onFlag);
        socket.off('annotation', onAnnotation);
        if (socket.connected) socket.emit('unsubscribe', { potId });
      };
    },
  };
}

/** A little longer than the snapshot's public lifetime (max-age=1), so that a cache answers most polls. */
export const POLL_INTERVAL_MS = 2000;
const POLL_MAX_INTERVAL_MS = 60_000;
/** Each reader polls at its own rhythm, so that a crowd that arrived together does not poll together. */
const POLL_JITTER = 0.25;

/**
 * How long to wait before the next poll: the interval, doubled after each failure in a row up
 * to a minute, spread by ±25% at random (`random` in [0, 1)).
 */
export function pollDelay(failures: number, random: number): number {
  const base = Math.min(POLL_MAX_INTERVAL_MS, POLL_INTERVAL_MS * 2 ** failures);
  return Math.round(base * (1 + POLL_JITTER * (2 * random - 1)));
}

/**
 * Polls the pot's live snapshot. Each poll revalidates (the browser sends the ETag it has and a
 * cache answers 304 while nothing changed); polls stop while the page is hidden.
 */
export function pollFeed(): LiveFeed {
  return {
    follow(potId, listener) {
      let stopped = false;
      let failures = 0;
      let joined = false;
      let lastAt = -Infinity;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const controller = new AbortController();

      const poll = async () => {
        timer = undefined;
        if (document.hidden) return;
        try {
          const snapshot = await fetchLiveSnapshot(potId, controller.signal);
          if (stopped) return;
          failures = 0;
          const status = { status: snapshot.status, lastReadingAt: snapshot.lastReadingAt, reason: snapshot.reason };
          if (!joined) {
            joined = true;
            listener.joined({ latest: snapshot.latest, status });
          } else {
            if (snapshot.latest && snapshot.latest.at !== lastAt) listener.reading({ potId, ...snapshot.latest });
            listener.status({ potId, ...status });
          }
          lastAt = snapshot.latest?.at ?? -Infinity;
        } catch (error) {
          if (stopped) return;
          if (error instanceof ApiError && error.status === 404) {
            listener.failed('not_found');
            return;
          }
          failures++;
          if (joined) listener.lost();
          joined = false;
        }
        schedule();
      };
      const schedule = () => {
        if (!stopped && timer === undefined) timer = setTimeout(() => void poll(), pollDelay(failures, Math.random()));
      };
      const onVisibility = () => {
        if (!document.hidden && timer === undefined) void poll();
      };
      document.addEventListener('visibilitychange', onVisibility);
      void poll();
      return () => {
        stopped = true;
        clearTimeout(timer);
        controller.abort();
        document.removeEventListener('visibilitychange', onVisibility);
      };
    },
  };
}

/**
 * The socket while it can connect; polling while it cannot (a network or proxy that refuses
 * WebSocket and long-polling alike), until it connects again.
 */
export function socketOrPollFeed(socket: PotwatchSocket, fallback: LiveFeed = pollFeed()): LiveFeed {
  const live = socketFeed(socket);
  return {
    follow(potId, listener) {
      let stopPolling: (() => void) | undefined;
      const onConnectError = () => {
        stopPolling ??= fallback.follow(potId, listener);
      };
      const onConnect = () => {
        stopPolling?.();
        stopPolling = undefined;
      };
      socket.on('connect_error', onConnectError);
      socket.on('connect', onConnect);
      const stopSocket = live.follow(potId, listener);
      return () => {
        socket.off('connect_error', onConnectError);
        socket.off('connect', onConnect);
        stopSocket();
        stopPolling?.();
      };
    },
  };
}

/** The feed an embed's `live` option asks for. */
export function embedFeed(mode: EmbedLiveMode): LiveFeed {
  switch (mode) {
    case 'socket':
      return socketOrPollFeed(connectSocket());
    case 'poll':
      return pollFeed();
    case 'off':
      return noFeed;
  }
}
