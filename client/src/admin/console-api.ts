import type { AuditEntry, Role, SessionView, UserView } from '../../../shared/accounts.js';
import type { SecretRotation, WebhookSecretView } from '../../../shared/webhook-secrets.js';
import { moderatorRequest } from '../dashboard/session.svelte.js';

/** A reading the guard held, as the held-readings page lists it. */
export interface HeldReading {
  id: number;
  at: number;
  amountMinor: number;
  contributors: number;
  reason: string;
  raw: string | null;
  origin: string;
  status: 'held' | 'released' | 'discarded';
  receivedAt: number;
}

export interface AuditQuery {
  potId?: string;
  actor?: string;
  action?: string;
  from?: number;
  to?: number;
}

/** The query string of an audit filter (also the CSV export's). */
export function auditSearch(query: AuditQuery, before?: number): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
  if (before !== undefined) params.set('before', String(before));
  return params.toString();
}

const user = (name: string) => `/api/users/${encodeURIComponent(name)}`;
const pot = (potId: string) => `/api/pots/${encodeURIComponent(potId)}`;

/** The admin console's users, audit trail, held readings and webhook secrets, in the signed-in admin's name. */
export const consoleApi = {
  users: () => moderatorRequest<{ users: UserView[] }>('GET', '/api/users').then((answer) => answer.users),
  addUser: (name: string, role: Role, password: string) => moderatorRequest<unknown>('POST', '/api/users', { name, role, password }),
  changeUser: (name: string, change: { role?: Role; disabled?: boolean; secondFactorRequired?: boolean }) =>
    moderatorRequest<unknown>('PATCH', user(name), change),
  resetPassword: (name: string, password: string) => moderatorRequest<void>('POST', `${user(name)}/password`, { password }),
  resetSecondFactor: (name: string) => moderatorRequest<void>('DELETE', `${user(name)}/second-factors`),
  sessionsOf: (name: string) => moderatorRequest<{ sessions: SessionView[] }>('GET', `${user(name)}/sessions`).then((answer) => answer.sessions),
  endSessionsOf: (name: string) => moderatorRequest<{ ended: number }>('DELETE', `${user(name)}/sessions`),
  audit: (query: AuditQuery, before?: number) =>
    moderatorRequest<{ entries: AuditEntry[]; next: number | null }>('GET', `/api/audit?${auditSearch(query, before)}`),
  held: (potId: string) =>
    moderatorRequest<{ readings: HeldReading[] }>('GET', `${pot(potId)}/quarantine?status=held`).then((answer) => answer.readings),
  decideHeld: (potId: string, readingId: number, decision: 'release' | 'discard', reason: string) =>
    moderatorRequest<unknown>('POST', `${pot(potId)}/quarantine/${readingId}/${decision}`, { reason }),
  secrets: () => moderatorRequest<{ secrets: WebhookSecretView[] }>('GET', '/api/admin/secrets').then((answer) => answer.secrets),
  rotateSecret: (potId: string, overlapHours: number) => moderatorRequest<SecretRotation>('POST', `${pot(potId)}/secret`, { overlapHours }),
  retirePreviousSecret: (potId: string) => moderatorRequest<void>('DELETE', `${pot(potId)}/secret/previous`),
};
