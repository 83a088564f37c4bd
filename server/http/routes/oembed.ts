import { Router } from 'express';
import { parseEmbedOptions } from '../../../shared/embed-options.js';
import { buildOEmbed, OEMBED_CACHE_SECONDS } from '../../embed/oembed.js';
import { parsePotUrl } from '../../embed/pot-url.js';
import type { PotStates } from '../../live/pot-states.js';
import { HttpError } from '../errors.js';
import { sharedWithOtherSites } from '../security-headers.js';

/**
 * oEmbed (https://oembed.com) for publishing tools that embed a page from its address:
 * `GET /oembed?url=<pot page or embed URL>&maxwidth=&maxheight=&format=json`.
 */
export function oembedRouter(states: PotStates): Router {
  const router = Router();
  router.get('/oembed', sharedWithOtherSites, (req, res) => {
    const { url, format, maxwidth, maxheight } = req.query;
    if (format !== undefined && format !== 'json') {
      throw new HttpError(501, 'format_not_implemented', 'only format=json is available', 'format');
    }
    if (typeof url !== 'string' || url === '') throw new HttpError(400, 'invalid_query', 'url is required', 'url');
    const target = parsePotUrl(url, req.get('host') ?? '');
    if (!target.ok) throw new HttpError(400, 'invalid_query', `url ${target.message}`, 'url');
    if (!states.has(target.potId)) throw new HttpError(404, 'pot_not_found', `there is no pot "${target.potId}"`, 'url');
    const parsed = parseEmbedOptions(target.query);
    if (!parsed.ok) throw new HttpError(400, 'invalid_query', `url: ${parsed.message}`, 'url');
    res.set('Cache-Control', `public, max-age=${OEMBED_CACHE_SECONDS}`);
    res.json(
      buildOEmbed({
        origin: target.origin,
        potId: target.potId,
        title: states.summary(target.potId).title,
        options: parsed.options,
        maxWidth: dimension(maxwidth, 'maxwidth'),
        maxHeight: dimension(maxheight, 'maxheight'),
      }),
    );
  });
  return router;
}

function dimension(value: unknown, field: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !/^\d{1,5}$/.test(value) || Number(value) < 1) {
    throw new HttpError(400, 'invalid_query', `${field} must be a positive whole number of pixels`, field);
  }
  return Number(value);
}
