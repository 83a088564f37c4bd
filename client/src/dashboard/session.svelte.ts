import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import { CSRF_HEADER, type SessionInfo, type SessionUser } from '../../../shared/accounts.js';
import type { ApiErrorBody } from '../../../shared/types.js';

/**
 * Who is signed in on this page. The session cookie itself is httpOnly: scripts never see it.
 * `enrolmentOnly`: the account must set up a second factor before anything else.
 */
export const session = $state<{ user: SessionUser | null; csrfToken: string | undefined; ended: boolean; enrolmentOnly: boolean }>({
  user: null,
  csrfToken: undefined,
  ended: false,
  enrolmentOnly: false,
});

function apply(info: SessionInfo): void {
  session.user = info.user;
  session.csrfToken = info.user ? info.csrfToken : undefined;
  session.enrolmentOnly = info.user ? info.enrolmentOnly === true : false;
}

/** A second factor was set up: the session is a full one now. */
export function enrolmentDone(): void {
  session.enrolmentOnly = false;
}

/** Who the server says is signed in, or undefined when it gives no answer. */
async function askSession(): Promise<SessionInfo | undefined> {
  const response = await fetch('/api/session', { headers: { Accept: 'application/json' } });
  return response.ok ? ((await response.json()) as SessionInfo) : undefined;
}

/** The server's view of the session: the page may have been opened while signed in. */
export async function loadSession(): Promise<void> {
  try {
    const info = await askSession();
    if (info) apply(info);
  } catch {
    // Anonymous until the server answers; nothing on the page needs more.
  }
}

/** Asks the server whether the session still holds; returns false (and says so) when it ended. */
export async function confirmSession(): Promise<boolean> {
  try {
    const info = await askSession();
    if (!info) return session.user !== null;
    if (info.user) return true;
    sessionEnded();
    return false;
  } catch {
    return session.user !== null;
  }
}

export type SignInResult =
  | { ok: true }
  | { ok: false; reason: 'invalid' | 'otp_required' | 'invalid_otp' | 'disabled' | 'error' | 'passkey_cancelled' }
  | { ok: false; reason: 'throttled'; seconds: number };

async function postSignIn(path: string, body: unknown): Promise<SignInResult> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    return { ok: false, reason: 'error' };
  }
  if (response.status === 429) return { ok: false, reason: 'throttled', seconds: Number(response.headers.get('Retry-After')) || 60 };
  if (response.status === 401 || response.status === 403) {
    const error = (await response.json().catch(() => null)) as ApiErrorBody | null;
    const code = error?.error.code;
    if (code === 'otp_required' || code === 'invalid_otp') return { ok: false, reason: code };
    return { ok: false, reason: code === 'account_disabled' ? 'disabled' : 'invalid' };
  }
  if (!response.ok) return { ok: false, reason: 'error' };
  apply((await response.json()) as SessionInfo);
  session.ended = false;
  return { ok: true };
}

/** Signs in with a password, and the code of an authenticator app (or a recovery code) once asked for one. */
export function signIn(name: string, password: string, otp?: string): Promise<SignInResult> {
  return postSignIn('/api/session', { name, password, ...(otp ? { otp } : {}) });
}

/** Signs in with a passkey alone: the device checks its owner (PIN, fingerprint, face). */
export async function signInWithPasskey(): Promise<SignInResult> {
  let options: PublicKeyCredentialRequestOptionsJSON;
  try {
    const answer = await fetch('/api/session/passkey/options', { method: 'POST', headers: { Accept: 'application/json' } });
    if (answer.status === 429) return { ok: false, reason: 'throttled', seconds: Number(answer.headers.get('Retry-After')) || 60 };
    if (!answer.ok) return { ok: false, reason: 'error' };
    options = (await answer.json()) as PublicKeyCredentialRequestOptionsJSON;
  } catch {
    return { ok: false, reason: 'error' };
  }
  let response;
  try {
    // Loaded on demand: readers who never sign in do not download it.
    const { startAuthentication } = await import('@simplewebauthn/browser');
    response = await startAuthentication({ optionsJSON: options });
  } catch {
    return { ok: false, reason: 'passkey_cancelled' };
  }
  return postSignIn('/api/session/passkey', { response });
}

export async function signOut(): Promise<void> {
  const csrfToken = session.csrfToken;
  // Signed out on this page at once, so that the server closing the moderator socket is not
  // mistaken for a session that ended by itself.
  apply({ user: null });
  await moderatorRequest('DELETE', '/api/session', undefined, csrfToken).catch(() => undefined);
}

/** The server no longer knows the session (expired, signed out elsewhere, account removed). */
export function sessionEnded(): void {
  if (!session.user) return;
  apply({ user: null });
  session.ended = true;
}

export class ModerationRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** A state-changing call in the moderator's name: JSON, with the session's CSRF token. */
export async function moderatorRequest<T>(
  method: string,
  path: string,
  body?: unknown,
  csrfToken = session.csrfToken,
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (csrfToken) headers[CSRF_HEADER] = csrfToken;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 401) sessionEnded();
  if (!response.ok) {
    const error = (await response.json().catch(() => null)) as ApiErrorBody | null;
    throw new ModerationRequestError(response.status, error?.error.message ?? response.statusText, error?.error.field);
  }
  return (response.status === 204 ? undefined : await response.json()) as T;
}
