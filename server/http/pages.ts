import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router, type Response } from 'express';
import { POT_ID_PATTERN } from '../../shared/schemas.js';
import { sendError } from './errors.js';
import { embedPageHeaders, sitePageHeaders } from './security-headers.js';

/**
 * Serves the built client: hashed assets cached forever, HTML pages revalidated, and the
 * history-API routes of the single-page app answered with their entry page.
 */
export function pagesRouter(clientDir: string): Router {
  const router = Router();
  router.use(
    '/assets',
    express.static(path.join(clientDir, 'assets'), { immutable: true, maxAge: '365d', index: false }),
  );

  const sendPage = (res: Response, file: string) => {
    const filePath = path.join(clientDir, file);
    if (!existsSync(filePath)) {
      sendError(res, 503, 'client_not_built', 'the web client is not built yet: run "npm run build"');
      return;
    }
    res.set('Cache-Control', 'no-cache');
    res.sendFile(filePath);
  };

  router.get('/', sitePageHeaders, (_req, res) => sendPage(res, 'index.html'));
  router.get('/pots/:id', sitePageHeaders, (req, res, next) => {
    if (!POT_ID_PATTERN.test(req.params.id)) return next();
    sendPage(res, 'index.html');
  });
  router.get('/embed/:id', embedPageHeaders, (req, res, next) => {
    if (!POT_ID_PATTERN.test(req.params.id)) return next();
    sendPage(res, 'embed.html');
  });
  router.use(
    sitePageHeaders,
    express.static(clientDir, { index: false, maxAge: '1h', extensions: [] }),
  );
  return router;
}
