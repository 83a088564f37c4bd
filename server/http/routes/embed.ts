import { Router, type Request, type Response } from 'express';
import { EMBED_LANGUAGES, embedQuery, parseEmbedOptions, type EmbedLanguage, type EmbedOptions } from '../../../shared/embed-options.js';
import { parseCompareQuery } from '../../../shared/compare.js';
import { escapeMarkup } from '../../../shared/escape-markup.js';
import { POT_ID_PATTERN } from '../../../shared/schemas.js';
import type { ReadingsRepository } from '../../db/readings-repository.js';
import type { Reading } from '../../../shared/types.js';
import { ImageCache, svgToPng } from '../../embed/chart-png.js';
import { buildChartSvg } from '../../embed/chart-svg.js';
import { EmbedPages, type EmbedPage, type PotAnnotationsSource } from '../../embed/embed-page.js';
import { rangePoints } from '../../embed/range-points.js';
import type { PotStates } from '../../live/pot-states.js';
import { sendCachedAnswer, type AnswerCache } from '../cached-answer.js';
import { HttpError, sendError } from '../errors.js';
import { requestOrigin, sendClientFile } from '../pages.js';
import { trackedPotId } from '../request-input.js';
import { sharedWithOtherSites } from '../security-headers.js';

const HOST_SCRIPT_CACHE = 'public, max-age=3600, stale-while-revalidate=86400';
const CHART_SVG_CACHE = 'public, max-age=60';
/**
 * The page carries the figures of when it was drawn, and its script catches up at once: a few
 * seconds of age are harmless, and let a cache in front serve a crowd from one copy.
 */
export const EMBED_PAGE_CACHE = 'public, max-age=10, stale-while-revalidate=60';

/**
 * The newsroom embed: its page (`/embed/:id`, options validated here so that a typo shows
 * at once instead of being silently ignored, drawn with the pot's figures before any script),
 * the host-page script `/embed.js`, and a still SVG of the chart for social cards and print.
 */
export function embedRouter(
  states: PotStates,
  readings: ReadingsRepository,
  clientDir: string,
  answers: AnswerCache,
  annotations: PotAnnotationsSource,
): Router {
  const router = Router();
  const pages = new EmbedPages(states, readings, annotations, clientDir);
  const pngs = new ImageCache();

  router.get('/embed.js', sharedWithOtherSites, (req, res) => {
    res.type('text/javascript');
    sendClientFile(req, res, clientDir, 'embed.js', HOST_SCRIPT_CACHE);
  });

  // Before the pot's embed: `compare` reads as a pot id too.
  router.get('/embed/compare', async (req, res) => {
    const query = (name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string) : undefined);
    const compare = parseCompareQuery(query);
    if (!compare.ok) return refuse(req, res, 400, 'invalid_option', compare.message, compare.field);
    const parsed = parseEmbedOptions(req.query);
    if (!parsed.ok) return refuse(req, res, 400, 'invalid_option', parsed.message, parsed.field);
    const missing = compare.options.pots.find((potId) => !states.has(potId));
    if (missing) return refuse(req, res, 404, 'pot_not_found', `there is no pot "${missing}"`, 'pots');
    const { options } = parsed;
    if (!options.lang) res.vary('Accept-Language');
    const page = await pages.comparePage(compare.options, options, readerLanguage(req, options));
    if (!page) return sendError(res, 503, 'client_not_built', 'the web client is not built yet: run "npm run build"');
    sendEmbedPage(req, res, page);
  });

  router.get('/embed/:id', async (req, res, next) => {
    const potId = req.params.id;
    if (!POT_ID_PATTERN.test(potId)) return next();
    if (!states.has(potId)) return refuse(req, res, 404, 'pot_not_found', `there is no pot "${potId}"`, 'id');
    const parsed = parseEmbedOptions(req.query);
    if (!parsed.ok) return refuse(req, res, 400, 'invalid_option', parsed.message, parsed.field);
    const { options } = parsed;
    // Without a language in the address, the reader's browser chooses; caches keep one copy per language.
    if (!options.lang) res.vary('Accept-Language');
    const page = await pages.page(potId, options, readerLanguage(req, options), requestOrigin(req));
    if (!page) return sendError(res, 503, 'client_not_built', 'the web client is not built yet: run "npm run build"');
    sendEmbedPage(req, res, page);
  });

  const sendEmbedPage = (req: Request, res: Response, page: EmbedPage) =>
    sendCachedAnswer(req, res, answers, {
      etag: page.etag,
      cacheKey: `embed:${page.etag}`,
      cacheControl: EMBED_PAGE_CACHE,
      contentType: 'text/html; charset=utf-8',
      body: page.html,
    });

  /** The chart image a request asks for: its pot, options and size, checked; drawn on demand. */
  const chartImage = (req: Request) => {
    const potId = trackedPotId(req, states);
    const { width: widthText, height: heightText, scale: scaleText, ...rest } = req.query;
    const parsed = parseEmbedOptions(rest);
    if (!parsed.ok) throw new HttpError(400, 'invalid_option', parsed.message, parsed.field);
    const width = pixels(widthText, 'width', 320, 2400, 1200);
    const height = pixels(heightText, 'height', 240, 1600, 630);
    if (scaleText !== undefined && scaleText !== '1' && scaleText !== '2') throw new HttpError(400, 'invalid_option', 'scale must be 1 or 2', 'scale');
    const { options } = parsed;
    const latest = states.latest(potId);
    const { firstReadingAt, readings: count } = states.counts(potId);
    const moments = options.annotations ? annotations.ofPot(potId) : [];
    return {
      potId,
      scale: scaleText === '2' ? 2 : 1,
      /** Changes whenever the drawing would: a new reading, a late one, an annotation. */
      version: `${latest?.at}|${count}|${moments.map((moment) => `${moment.id}@${moment.at}`).join(',')}`,
      key: `${potId}|${embedQuery(options)}|${width}x${height}`,
      svg: () => drawChart(potId, options, width, height, latest, firstReadingAt, moments.map((moment) => moment.at)),
    };
  };

  const drawChart = (
    potId: string,
    options: EmbedOptions,
    width: number,
    height: number,
    latest: Reading | undefined,
    firstReadingAt: number | null,
    moments: number[],
  ) => {
    const pot = states.summary(potId);
    const points = rangePoints(readings, potId, { latest, firstReadingAt }, options.range, Math.min(600, Math.round(width / 2)));
    return buildChartSvg({
      title: pot.title,
      currency: pot.currency,
      platform: pot.source.platform,
      replay: pot.source.replay,
      points,
      latest,
      width,
      height,
      theme: options.theme === 'dark' ? 'dark' : 'light',
      lang: options.lang ?? 'en',
      timeZone: options.tz ?? 'UTC',
      accent: options.accent,
      showTitle: options.title,
      showCounters: options.counters,
      moments,
    });
  };

  router.get('/embed/:id/chart.svg', sharedWithOtherSites, (req, res) => {
    const image = chartImage(req);
    res.set({
      'Content-Type': 'image/svg+xml; charset=utf-8',
      'Cache-Control': CHART_SVG_CACHE,
      // Opened on its own, the image is a document: it may run nothing.
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors *",
    });
    res.send(image.svg());
  });

  // For social cards (og:image) and print: rendered once per reading, whatever the crowd of crawlers.
  router.get('/embed/:id/chart.png', sharedWithOtherSites, (req, res) => {
    const image = chartImage(req);
    const { image: png } = pngs.get(`${image.key}|${image.scale}`, image.version, () => svgToPng(image.svg(), image.scale));
    res.set({ 'Content-Type': 'image/png', 'Cache-Control': CHART_SVG_CACHE, 'Content-Length': String(png.length) });
    res.send(png);
  });

  return router;
}

function pixels(value: unknown, field: string, min: number, max: number, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const number = typeof value === 'string' && /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(number >= min && number <= max)) {
    throw new HttpError(400, 'invalid_option', `${field} must be a whole number of pixels from ${min} to ${max}`, field);
  }
  return number;
}

/**
 * An error for a page that sits in someone else's article: a short readable page for a
 * browser, the usual JSON error for anything else.
 */
function refuse(req: Request, res: Response, status: number, code: string, message: string, field: string): void {
  if (req.accepts(['json', 'html']) !== 'html') {
    sendError(res, status, code, message, field);
    return;
  }
  res
    .status(status)
    .type('html')
    .send(
      '<!doctype html><html lang="en"><meta charset="utf-8"><title>Potwatch embed</title>' +
        '<p style="font:14px system-ui,sans-serif;margin:.75rem">Potwatch: ' +
        `${escapeMarkup(message)}</p></html>`,
    );
}

/** The language asked for, else the reader's browser's. */
function readerLanguage(req: Request, options: EmbedOptions): EmbedLanguage {
  return options.lang ?? ((req.acceptsLanguages(...EMBED_LANGUAGES) || 'en') as EmbedLanguage);
}
