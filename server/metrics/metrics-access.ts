import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export type MetricsAccess = { ok: true } | { ok: false; status: 401 | 403; code: string; message: string };

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'] as const;

/**
 * Who may read /metrics. With a token configured: whoever sends it as a bearer token.
 * Without one: only a process on the same machine talking to us directly; a request relayed
 * by a reverse proxy arrives from loopback too, but carries a forwarding header.
 */
export function metricsAccess(remoteAddress: string | undefined, headers: IncomingHttpHeaders, token: string | undefined): MetricsAccess {
  if (token) {
    const given = Buffer.from(/^Bearer (.+)$/i.exec(headers.authorization ?? '')?.[1] ?? '');
    const expected = Buffer.from(token);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { ok: true };
    return { ok: false, status: 401, code: 'metrics_token_required', message: 'send the metrics token as "Authorization: Bearer <token>"' };
  }
  const local = remoteAddress !== undefined && LOOPBACK.test(remoteAddress);
  if (local && FORWARDING_HEADERS.every((header) => headers[header] === undefined)) return { ok: true };
  return {
    ok: false,
    status: 403,
    code: 'metrics_forbidden',
    message: 'metrics are only served to this machine; set POTWATCH_METRICS_TOKEN to read them from elsewhere',
  };
}
