import type { AnnotationEvent } from './annotations.js';
import type { ModeratorFlag, PublicFlag } from './flags.js';
import type { Suggestion } from './suggestions.js';
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

/** A flag created or changed, or (`removed`) one that must no longer be shown. */
export type FlagEvent<F extends PublicFlag = PublicFlag> =
  | { potId: string; flag: F; removed?: undefined }
  | { potId: string; flag: { id: number }; removed: true };

export interface ServerToClientEvents {
  reading: (event: ReadingEvent) => void;
  status: (event: StatusEvent) => void;
  /** Only published flags, with their public fields. */
  flag: (event: FlagEvent) => void;
  /** Context added to, changed on or taken off the pot's chart. */
  annotation: (event: AnnotationEvent) => void;
}

export interface ClientToServerEvents {
  subscribe: (payload: { potId: string }, ack: (answer: SubscribeAck) => void) => void;
  unsubscribe: (payload: { potId: string }) => void;
}

export const potRoom = (potId: string): string => `pot:${potId}`;

/** Signed-in moderators only: the session cookie and CSRF token are checked at connection. */
export const MODERATION_NAMESPACE = '/moderation';

export type ModerationSubscribeAck = { ok: true } | { ok: false; error: { code: string; message: string; field?: string } };

/** A suggestion raised or changed (including confirmed or dismissed), or (`removed`) withdrawn. */
export type SuggestionEvent =
  | { potId: string; suggestion: Suggestion; removed?: undefined }
  | { potId: string; suggestion: { id: number }; removed: true };

export interface ModerationServerToClientEvents {
  /** Every flag change, drafts and notes included. */
  flag: (event: FlagEvent<ModeratorFlag>) => void;
  suggestion: (event: SuggestionEvent) => void;
}

export interface ModerationClientToServerEvents {
  subscribe: (payload: { potId: string }, ack: (answer: ModerationSubscribeAck) => void) => void;
  unsubscribe: (payload: { potId: string }) => void;
}

export const moderationRoom = (potId: string): string => `moderation:${potId}`;
