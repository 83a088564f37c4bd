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
export type SessionInfo = SignedInInfo | { user: null };

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

/** `GET /api/session` when signed in: `enrolmentOnly` until a required second factor is enrolled. */
export interface SignedInInfo {
  user: SessionUser;
  csrfToken: string;
  enrolmentOnly?: true;
}

export interface PasskeyView {
  id: string;
  label: string;
  createdAt: number;
  lastUsedAt: number | null;
}

/** `GET /api/account`: the caller's second factors. */
export interface AccountSecurity {
  name: string;
  role: Role;
  /** Whether this account must have a second factor (admins, and moderators an admin chose). */
  secondFactorRequired: boolean;
  totp: boolean;
  passkeys: PasskeyView[];
  recoveryCodesLeft: number;
}

/** `POST /api/account/totp`: what an authenticator app needs, shown until the first code confirms it. */
export interface TotpEnrolment {
  secret: string;
  uri: string;
  /** The `uri` as a QR code, an SVG document. */
  qrSvg: string;
}

/** One sign-in session as its user (or an admin) sees it. */
export interface SessionView {
  id: string;
  current: boolean;
  createdAt: number;
  lastSeenAt: number;
  address: string | null;
  userAgent: string | null;
  secondFactor: string | null;
}

/** An account as the admin console lists it. */
export interface UserView {
  name: string;
  role: Role;
  createdAt: number;
  disabled: boolean;
  secondFactorRequired: boolean;
  totp: boolean;
  passkeys: number;
  sessions: number;
}
