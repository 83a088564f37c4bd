export const ROLES = ['moderator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const USER_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
export const MIN_PASSWORD_LENGTH = 12;
/** Long enough for any passphrase, short enough that hashing it costs nothing extra. */
export const MAX_PASSWORD_LENGTH = 1024;

export interface SessionUser {
  name: string;
  role: Role;
}

/** `GET /api/session`: who is signed in, and the token state-changing requests must echo. */
export type SessionInfo = { user: SessionUser; csrfToken: string } | { user: null };

export const CSRF_HEADER = 'x-csrf-token';

/** One row of the audit trail: who did what, when, with the record before and after. */
export interface AuditEntry {
  id: number;
  at: number;
  actor: string;
  action: string;
  potId: string | null;
  target: string | null;
  before: unknown;
  after: unknown;
}
