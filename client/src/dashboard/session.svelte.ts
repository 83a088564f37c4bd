import { CSRF_HEADER, type SessionInfo, type SessionUser } from '../../../shared/accounts.js';
import type { ApiErrorBody } from '../../../shared/types.js';

/** Who is signed in on this page. The session cookie itself is httpOnly: scripts never see it. */
export const session = $state<{ user: SessionUser | null; csrfToken: string | undefined; ended: boolean }>({
  user: null,
  csrfToken: undefined,
  ended: false,
});

function apply(info: SessionInfo): void {
  session.user = info.user;
  session.csrfToken = info.user ? info.csrfToken : undefined;
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

export type SignInResult = { ok: true } | { ok: false; reason: 'invalid' | 'error' } | { ok: false; reason: 'throttled'; seconds: number };

export async function signIn(name: string, password: string): Promise<SignInResult> {
  let response: Response;
  try {
    response = await fetch('/api/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ name, password }),
    });
  } catch {
    return { ok: false, reason: 'error' };
  }
  if (response.status === 429) return { ok: false, reason: 'throttled', seconds: Number(response.headers.get('Retry-After')) || 60 };
  if (response.status === 401) return { ok: false, reason: 'invalid' };
  if (!response.ok) return { ok: false, reason: 'error' };
  apply((await response.json()) as SessionInfo);
  session.ended = false;
  return { ok: true };
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
