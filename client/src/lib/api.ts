import type { Annotation } from '../../../shared/annotations.js';
import type { PublicFlag } from '../../../shared/flags.js';
import type { RateBucket, RateResponse } from '../../../shared/rate.js';
import type { ApiErrorBody, LiveSnapshot, PotDetail, PotSummary, SeriesResponse } from '../../../shared/types.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function getJson<T>(path: string, signal?: AbortSignal, credentials?: RequestCredentials, cache?: RequestCache): Promise<T> {
  const response = await fetch(path, { headers: { Accept: 'application/json' }, signal, credentials, cache });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as ApiErrorBody | null;
    throw new ApiError(response.status, body?.error.code ?? 'http_error', body?.error.message ?? response.statusText);
  }
  return (await response.json()) as T;
}

export const fetchPots = (signal?: AbortSignal) => getJson<PotSummary[]>('/api/pots', signal);

export const fetchPot = (potId: string, signal?: AbortSignal) => getJson<PotDetail>(`/api/pots/${encodeURIComponent(potId)}`, signal);

/**
 * The pot's live snapshot, revalidated at every call: the browser sends the ETag it holds and
 * gets a bodiless 304 while nothing changed (its own cache would otherwise answer from memory
 * for the snapshot's lifetime, or serve it stale while revalidating).
 */
export const fetchLiveSnapshot = (potId: string, signal?: AbortSignal) =>
  getJson<LiveSnapshot>(`/api/pots/${encodeURIComponent(potId)}/live`, signal, undefined, 'no-cache');

export function fetchSeries(
  potId: string,
  query: { from?: number; to?: number; points?: number },
  signal?: AbortSignal,
): Promise<SeriesResponse> {
  const params = new URLSearchParams();
  if (query.from !== undefined) params.set('from', String(Math.round(query.from)));
  if (query.to !== undefined) params.set('to', String(Math.round(query.to)));
  if (query.points !== undefined) params.set('points', String(query.points));
  return getJson<SeriesResponse>(`/api/pots/${encodeURIComponent(potId)}/series?${params}`, signal);
}

/**
 * The published flags, as anyone sees them (without cookies, so also for a signed-in moderator).
 * `cache: 'no-cache'` asks the server even within the answer's public lifetime.
 */
export const fetchPublicFlags = (potId: string, cache?: RequestCache) =>
  getJson<{ flags: PublicFlag[] }>(`/api/pots/${encodeURIComponent(potId)}/flags`, undefined, 'omit', cache);

export function fetchRate(potId: string, query: { bucket: RateBucket; from?: number }, signal?: AbortSignal): Promise<RateResponse> {
  const params = new URLSearchParams({ bucket: query.bucket });
  if (query.from !== undefined) params.set('from', String(Math.round(query.from)));
  return getJson<RateResponse>(`/api/pots/${encodeURIComponent(potId)}/rate?${params}`, signal);
}

export const fetchAnnotations = (potId: string, cache?: RequestCache) =>
  getJson<{ annotations: Annotation[] }>(`/api/pots/${encodeURIComponent(potId)}/annotations`, undefined, undefined, cache);
