import { Router } from 'express';
import { z } from 'zod';
import { annotationText, type Annotation } from '../../../shared/annotations.js';
import type { PotAnnotationsSource } from '../../embed/embed-page.js';
import { MAX_RATE_BUCKETS, type RateResponse } from '../../../shared/rate.js';
import { rateQuerySchema, seriesQuerySchema } from '../../../shared/schemas.js';
import { HOUR, toIso } from '../../../shared/time.js';
import type { PotDetail, SeriesResponse } from '../../../shared/types.js';
import { minorToDecimalString } from '../../../shared/money.js';
import { potSeries } from '../../db/downsample.js';
import { bucketCount, potRate } from '../../db/rate.js';
import type { ReadingsRepository } from '../../db/readings-repository.js';
import type { PotStates } from '../../live/pot-states.js';
import { sendCachedAnswer, type AnswerCache } from '../cached-answer.js';
import { csvField } from '../csv-field.js';
import { HttpError } from '../errors.js';
import { parseRequestInput, trackedPotId } from '../request-input.js';
import { waitForDrain } from '../wait-for-drain.js';

const DEFAULT_SERIES_POINTS = 1000;

/** `?archived=1` lists the archived pots instead of the others. */
const potListQuerySchema = z.object({
  archived: z.enum(['0', '1'], { error: 'must be 0 or 1' }).optional().transform((flag) => flag === '1'),
});
const CSV_PAGE = 5000;

const exportQuerySchema = z.object({
  /** `fr` or `en` adds the pot's context annotations, in that language, as rows of their own. */
  annotations: z.enum(['fr', 'en'], { error: 'must be fr or en' }).optional(),
});

export function potsRouter(states: PotStates, readings: ReadingsRepository, answers: AnswerCache, annotations: PotAnnotationsSource): Router {
  const router = Router();

  router.get('/api/pots', (req, res) => {
    const { archived } = parseRequestInput(potListQuerySchema, req.query, 'invalid_query');
    res.set('Cache-Control', 'public, max-age=2');
    res.json((archived ? states.archivedIds() : states.activeIds()).map((id) => states.summary(id)));
  });

  router.get('/api/pots/:id', (req, res) => {
    const potId = trackedPotId(req, states);
    const latest = states.latest(potId);
    const hourBefore = latest && readings.atOrBefore(potId, latest.at - HOUR);
    const { readings: count, firstReadingAt } = states.counts(potId);
    const detail: PotDetail = {
      ...states.summary(potId),
      stats: {
        readings: count,
        firstReadingAt,
        averageGiftMinor:
          latest && latest.contributors > 0 ? Math.round(latest.amountMinor / latest.contributors) : null,
        lastHour:
          latest && hourBefore
            ? {
                amountMinor: latest.amountMinor - hourBefore.amountMinor,
                contributors: latest.contributors - hourBefore.contributors,
              }
            : null,
      },
    };
    res.set('Cache-Control', 'public, max-age=2');
    res.json(detail);
  });

  router.get('/api/pots/:id/series', (req, res) => {
    const potId = trackedPotId(req, states);
    const query = parseRequestInput(seriesQuerySchema, req.query, 'invalid_query');
    const latest = states.latest(potId);
    const { readings: count, firstReadingAt } = states.counts(potId);
    const to = query.to ?? latest?.at ?? Date.now();
    const from = query.from ?? firstReadingAt ?? to;
    // Asking what came after the newest reading (a client catching up) is an empty answer.
    if (from > to && query.to !== undefined) {
      throw new HttpError(400, 'invalid_query', 'from must not be after to', 'from');
    }
    const points = query.points ?? DEFAULT_SERIES_POINTS;
    // Stored readings are only ever added (or all cleared), so their count and both ends name
    // the history: the ETag needs no query, and a 304 costs no more than a look at memory.
    const history = latest ? `${count}-${firstReadingAt}-${latest.at}-${latest.amountMinor}-${latest.contributors}` : 'empty';
    const etag = `"${history}-${from}-${to}-${points}"`;
    const settled = latest !== undefined && query.to !== undefined && query.to < latest.at;
    sendCachedAnswer(req, res, answers, {
      etag,
      cacheKey: `series:${potId}:${etag}`,
      cacheControl: settled ? 'public, max-age=300' : 'public, max-age=2',
      contentType: 'application/json; charset=utf-8',
      body: () => {
        const body: SeriesResponse = { potId, from, to, points: potSeries(readings, potId, from, to, points) };
        return JSON.stringify(body);
      },
    });
  });

  router.get('/api/pots/:id/rate', (req, res) => {
    const potId = trackedPotId(req, states);
    const query = parseRequestInput(rateQuerySchema, req.query, 'invalid_query');
    const latest = states.latest(potId);
    const to = query.to ?? latest?.at ?? Date.now();
    const from = query.from ?? states.counts(potId).firstReadingAt ?? to;
    if (from > to) throw new HttpError(400, 'invalid_query', 'from must not be after to', 'from');
    if (bucketCount(from, to, query.bucket) > MAX_RATE_BUCKETS) {
      throw new HttpError(400, 'invalid_query', `bucket ${query.bucket} makes more than ${MAX_RATE_BUCKETS} buckets of this range: choose a longer bucket or a shorter range`, 'bucket');
    }
    const body: RateResponse = { potId, bucket: query.bucket, rows: potRate(readings, potId, from, to, query.bucket) };
    const settled = latest !== undefined && query.to !== undefined && query.to < latest.at;
    res.set('Cache-Control', settled ? 'public, max-age=300' : 'public, max-age=2');
    res.json(body);
  });

  router.get('/api/pots/:id/export.csv', async (req, res) => {
    const potId = trackedPotId(req, states);
    const currency = states.config(potId)!.currency;
    const { annotations: lang } = parseRequestInput(exportQuerySchema, req.query, 'invalid_query');
    const moments = lang ? [...annotations.ofPot(potId)] : [];
    const momentRow = (moment: Annotation) => `${toIso(moment.at)},,,${csvField(annotationText(moment.label, lang!))},${csvField(moment.url ?? '')}\n`;
    res.set({
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${potId}.csv"`,
      'Cache-Control': 'no-cache',
    });
    res.write(lang ? 'at,amount,contributors,annotation,url\n' : 'at,amount,contributors\n');
    let after = -1;
    for (;;) {
      const page = readings.range(potId, after + 1, Number.MAX_SAFE_INTEGER, CSV_PAGE);
      if (page.length === 0) break;
      const lines = page.flatMap((r) => {
        const before: string[] = [];
        while (moments[0] && moments[0].at <= r.at) before.push(momentRow(moments.shift()!));
        return [...before, `${toIso(r.at)},${minorToDecimalString(r.amountMinor, currency)},${r.contributors}${lang ? ',,' : ''}\n`];
      });
      after = page[page.length - 1]!.at;
      if (!res.write(lines.join(''))) await waitForDrain(res);
      if (res.destroyed) return;
    }
    res.end(moments.map(momentRow).join(''));
  });

  return router;
}
