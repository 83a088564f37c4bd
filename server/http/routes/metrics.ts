import { Router } from 'express';
import { metricsAccess } from '../../metrics/metrics-access.js';
import type { MetricsSource } from '../../metrics/metrics.js';
import { sendError } from '../errors.js';

/** `GET /metrics` in the Prometheus text format, for this machine or holders of the token. */
export function metricsRouter(source: MetricsSource, token: string | undefined): Router {
  const router = Router();
  router.get('/metrics', async (req, res) => {
    const access = metricsAccess(req.socket.remoteAddress, req.headers, token);
    if (!access.ok) {
      sendError(res, access.status, access.code, access.message);
      return;
    }
    res.set({ 'Content-Type': source.contentType, 'Cache-Control': 'no-store' });
    res.send(await source.text());
  });
  return router;
}
