import { STATUS_CODES } from 'node:http';
import { fetch, type Response } from 'undici';
import { SECOND } from '../../shared/time.js';
import { AddressRefused, type AddressPolicy } from './address-policy.js';
import { SourceFailure } from './source-failure.js';

export const DEFAULT_USER_AGENT = 'Potwatch/0.1 (crowdfunding pot tracker)';
/** Pot pages are small; anything bigger is not what was asked for. */
const MAX_BODY_BYTES = 5 * 1024 * 1024;
/** Longest `Retry-After` a source may impose. */
const MAX_RETRY_AFTER_MS = 3600 * SECOND;

export interface PageRequest {
  url: string;
  timeoutMs: number;
  headers: Record<string, string>;
  userAgent?: string | undefined;
  accept: string;
  /** The ETag of the last good answer, sent as If-None-Match. */
  etag?: string | undefined;
  /** Aborts the request when the source stops. */
  signal: AbortSignal;
  /** Where the request may go, for sources made through the API; anywhere when absent. */
  policy?: AddressPolicy | undefined;
}

/** Redirects followed by hand, each checked against the address policy. */
const MAX_REDIRECTS = 5;

export interface Page {
  status: number;
  headers: Headers;
  body: Buffer;
  /** Wait asked for by a 429 or 503 answer's Retry-After header. */
  retryAfterMs?: number;
}

/**
 * One GET of a source, bounded in time (the whole exchange, body included) and in size.
 * Network trouble becomes a `SourceFailure` with a reason a viewer can read; any HTTP
 * answer, even an error, is returned for the caller to judge.
 */
export async function fetchPage(request: PageRequest): Promise<Page> {
  const host = new URL(request.url).host;
  // One controller per request, rather than AbortSignal.any() over the source's long-lived
  // stop signal, which would keep every request's signal alive until the source stops.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, request.timeoutMs);
  const stop = () => controller.abort();
  request.signal.addEventListener('abort', stop, { once: true });
  const { signal } = controller;
  try {
    const response = await fetchFollowing(request, signal);
    const body = await readBounded(response, host);
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    return { status: response.status, headers: response.headers, body, ...(retryAfterMs ? { retryAfterMs } : {}) };
  } catch (error) {
    if (error instanceof SourceFailure) throw error;
    const refused = refusalIn(error);
    if (refused) throw new SourceFailure(`refused to reach ${refused}`);
    if (timedOut) throw new SourceFailure(`${host} did not answer within ${formatSeconds(request.timeoutMs)}`);
    if (request.signal.aborted) throw new SourceFailure('stopped');
    throw new SourceFailure(`could not reach ${host} (${networkCause(error)})`);
  } finally {
    clearTimeout(timer);
    request.signal.removeEventListener('abort', stop);
  }
}

/**
 * The GET, following redirects. With an address policy, every hop is checked before it is
 * requested: an address written in a Location header is dialled without a name lookup, so
 * the policy's check at connection time alone would not see it.
 */
async function fetchFollowing(request: PageRequest, signal: AbortSignal): Promise<Response> {
  const headers = {
    accept: request.accept,
    'user-agent': request.userAgent ?? DEFAULT_USER_AGENT,
    ...(request.etag ? { 'if-none-match': request.etag } : {}),
    ...request.headers,
  };
  const { policy } = request;
  if (!policy) return fetch(request.url, { signal, redirect: 'follow', headers });
  let url = request.url;
  for (let hop = 0; ; hop++) {
    const refused = await policy.check(url);
    if (refused) throw new SourceFailure(`refused to reach ${refused}`);
    const response = await fetch(url, { signal, redirect: 'manual', headers, dispatcher: policy.dispatcher() });
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || response.status === 304 || !location) return response;
    await response.body?.cancel();
    if (hop >= MAX_REDIRECTS) throw new SourceFailure(`${new URL(request.url).host} redirects more than ${MAX_REDIRECTS} times`);
    url = new URL(location, url).href;
    if (!/^https?:$/.test(new URL(url).protocol)) throw new SourceFailure(`${new URL(request.url).host} redirects to ${new URL(url).protocol} address`);
  }
}

/** The address policy's reason, when it is what stopped the request. */
export function refusalIn(error: unknown): string | undefined {
  for (let cause: unknown = error; cause; cause = (cause as { cause?: unknown }).cause) {
    if (cause instanceof AddressRefused) return cause.message;
  }
  return undefined;
}

/** "HTTP 503 Service Unavailable from example.org", for answers that carry no figures. */
export function describeHttpStatus(status: number, url: string): string {
  return `HTTP ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd() + ` from ${new URL(url).host}`;
}

async function readBounded(response: Response, host: string): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > MAX_BODY_BYTES) {
    await response.body?.cancel();
    throw new SourceFailure(`${host} sent more than ${MAX_BODY_BYTES / 1024 / 1024} MiB`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  if (!response.body) return Buffer.alloc(0);
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > MAX_BODY_BYTES) {
      await response.body.cancel().catch(() => undefined);
      throw new SourceFailure(`${host} sent more than ${MAX_BODY_BYTES / 1024 / 1024} MiB`);
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = /^\d+$/.test(value.trim()) ? Number(value) * SECOND : Date.parse(value) - Date.now();
  if (!Number.isFinite(seconds) || seconds <= 0) return undefined;
  return Math.min(seconds, MAX_RETRY_AFTER_MS);
}

/** The network's reason a request failed (ECONNREFUSED, ECONNRESET…), from undici's error. */
export function networkCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message ?? 'unknown error';
}

function formatSeconds(ms: number): string {
  return `${Number((ms / SECOND).toFixed(1))} s`;
}
