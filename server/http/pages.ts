import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { escapeMarkup } from '../../shared/escape-markup.js';
import type { PotSummary } from '../../shared/types.js';
import { shareCardTags } from '../embed/share-card.js';
import { POT_ID_PATTERN } from '../../shared/schemas.js';
import { sendError } from './errors.js';
import { choosePrecompressed, precompressedAssets } from './precompressed.js';

/** What the pages need to know of the pots: a tracked one's summary, for its title and share card. */
export interface PotFacts {
  summary(potId: string): PotSummary | undefined;
}

/** Sends a file of the built client, or a clear 503 when the client was never built. */
export function sendClientFile(req: Request, res: Response, clientDir: string, file: string, cacheControl = 'no-cache'): void {
  const filePath = path.join(clientDir, file);
  if (!existsSync(filePath)) {
    sendError(res, 503, 'client_not_built', 'the web client is not built yet: run "npm run build"');
    return;
  }
  res.set('Cache-Control', cacheControl);
  res.sendFile(choosePrecompressed(req, res, filePath), { cacheControl: false });
}

export function requestOrigin(req: Request): string {
  return `${req.protocol}://${req.get('host')}`;
}

/**
 * Serves the built client: hashed assets cached forever (compressed at build time), HTML
 * pages revalidated, and the history-API routes of the single-page app answered with their
 * entry page. A pot's page names its oEmbed endpoint (HTTP `Link` header and `<link>`), so
 * that publishing tools can embed a pot from the address of its page.
 */
export function pagesRouter(clientDir: string, pots: PotFacts): Router {
  const router = Router();
  const assets = path.join(clientDir, 'assets');
  const forever = { immutable: true, maxAge: '365d' };
  router.use('/assets', precompressedAssets(assets, forever), express.static(assets, { ...forever, index: false }));

  const entryPage: RequestHandler = (req, res) => sendClientFile(req, res, clientDir, 'index.html');
  router.get('/', entryPage);
  // The admin area's pages: the data behind them is for admins, the page itself for anyone.
  router.get('/compare', entryPage);
  router.get('/admin', entryPage);
  router.get('/admin/*rest', entryPage);
  router.get('/pots/:id', async (req, res, next) => {
    const potId = req.params.id;
    if (!POT_ID_PATTERN.test(potId)) return next();
    const pot = pots.summary(potId);
    const file = path.join(clientDir, 'index.html');
    if (pot === undefined || !existsSync(file)) return sendClientFile(req, res, clientDir, 'index.html');
    const { title } = pot;
    const origin = requestOrigin(req);
    const url = `${origin}/pots/${potId}`;
    const oembed = `${origin}/oembed?url=${encodeURIComponent(url)}&format=json`;
    const lang = req.acceptsLanguages('en', 'fr') === 'fr' ? 'fr' : 'en';
    const head =
      `<title>${escapeMarkup(title)} · Potwatch</title>\n` +
      `    <link rel="alternate" type="application/json+oembed" href="${escapeMarkup(oembed)}" title="${escapeMarkup(title)}" />\n` +
      `    ${shareCardTags(pot, { origin, url, lang })}\n`;
    res.vary('Accept-Language');
    const html = (await readFile(file, 'utf8')).replace(/<title>[^<]*<\/title>\n?/, '').replace('</head>', `${head}  </head>`);
    res.set({ 'Cache-Control': 'no-cache', Link: `<${oembed}>; rel="alternate"; type="application/json+oembed"` });
    res.type('html').send(html);
  });
  router.use(express.static(clientDir, { index: false, maxAge: '1h', extensions: [] }));
  return router;
}
