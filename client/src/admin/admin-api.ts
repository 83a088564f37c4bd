import type { ManagedPot, PotChangeAnswer, SourcePreview } from '../../../shared/managed-pots.js';
import { moderatorRequest } from '../dashboard/session.svelte.js';

/** The pot management API, in the signed-in admin's name. */
export const adminApi = {
  pots: () => moderatorRequest<{ pots: ManagedPot[] }>('GET', '/api/admin/pots').then((answer) => answer.pots),
  createPot: (pot: Record<string, unknown>) => moderatorRequest<PotChangeAnswer>('POST', '/api/pots', pot),
  updatePot: (potId: string, patch: Record<string, unknown>) =>
    moderatorRequest<PotChangeAnswer>('PATCH', `/api/pots/${encodeURIComponent(potId)}`, patch),
  archivePot: (potId: string) => moderatorRequest<unknown>('DELETE', `/api/pots/${encodeURIComponent(potId)}`),
  preview: (source: Record<string, unknown>, currency?: string) =>
    moderatorRequest<SourcePreview>('POST', '/api/sources/preview', { source, ...(currency ? { currency } : {}) }),
};
