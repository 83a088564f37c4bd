import { Router } from 'express';
import type { SourcePreview } from '../../../shared/managed-pots.js';
import { createPotSchema, previewSourceSchema, updatePotSchema } from '../../../shared/pot-config.js';
import { MINUTE } from '../../../shared/time.js';
import { TokenBucket } from '../../live/token-bucket.js';
import { requiredSession } from '../../moderation/auth-guards.js';
import type { Moderation } from '../../moderation/moderation.js';
import { PotRequestRefused, type PotService } from '../../pots/pot-service.js';
import type { PageAccess } from '../../sources/page/page-reader.js';
import { PreviewFailure, previewSource } from '../../sources/source-preview.js';
import { HttpError } from '../errors.js';
import { jsonBody } from '../json-body.js';
import { parseRequestInput } from '../request-input.js';

/** Previews load other sites, maybe in a browser: a few at a time per admin, and few per minute. */
const PREVIEWS_PER_MINUTE = 12;
const PREVIEW_BURST = 4;
const PREVIEW_TIMEOUT_MS = MINUTE;

/** Runs a pot change; its refusals become HTTP errors naming the field. */
export async function refusals<T>(action: () => T | Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof PotRequestRefused) throw new HttpError(error.status, error.code, error.message, error.field);
    throw error;
  }
}

/** Pot management for admins: list, create, change, pause, archive, and preview a source before saving it. */
export function potAdminRouter(moderation: Moderation, pots: PotService, pages: PageAccess): Router {
  const router = Router();
  const { guards } = moderation;
  const previewBuckets = new Map<string, TokenBucket>();
  const previewing = new Set<string>();

  router.get('/api/admin/pots', ...guards.requireAdmin, async (_req, res) => {
    const list = await refusals(() => pots.list(requiredSession(res).user));
    res.set('Cache-Control', 'private, no-store');
    res.json({ pots: list });
  });

  router.post('/api/pots', ...guards.requireAdmin, ...jsonBody(), async (req, res) => {
    const input = parseRequestInput(createPotSchema, req.body, 'invalid_pot');
    const answer = await refusals(() => pots.create(requiredSession(res).user, input));
    res.set('Cache-Control', 'no-store');
    res.status(201).json(answer);
  });

  router.patch('/api/pots/:id', ...guards.requireAdmin, ...jsonBody(), async (req, res) => {
    const patch = parseRequestInput(updatePotSchema, req.body, 'invalid_pot');
    const answer = await refusals(() => pots.update(requiredSession(res).user, String(req.params.id), patch));
    res.set('Cache-Control', 'no-store');
    res.json(answer);
  });

  router.delete('/api/pots/:id', ...guards.requireAdmin, async (req, res) => {
    const potId = String(req.params.id);
    await refusals(() => pots.archive(requiredSession(res).user, potId));
    res.json({ archived: potId });
  });

  router.post('/api/sources/preview', ...guards.requireAdmin, ...jsonBody(), async (req, res) => {
    const input = parseRequestInput(previewSourceSchema, req.body, 'invalid_source');
    const admin = requiredSession(res).user.name;
    const bucket = previewBuckets.get(admin) ?? new TokenBucket(PREVIEWS_PER_MINUTE / 60, PREVIEW_BURST);
    previewBuckets.set(admin, bucket);
    if (previewing.has(admin) || !bucket.take()) {
      res.set('Retry-After', '10');
      throw new HttpError(429, 'too_many_previews', 'wait for the previous preview, then try again in a few seconds');
    }
    previewing.add(admin);
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(), PREVIEW_TIMEOUT_MS);
    res.on('close', () => stop.abort());
    try {
      const preview: SourcePreview = await previewSource(input, pages, stop.signal);
      res.set('Cache-Control', 'no-store');
      res.json(preview);
    } catch (error) {
      if (error instanceof PreviewFailure) throw new HttpError(422, 'source_unreadable', error.message, 'source');
      throw error;
    } finally {
      clearTimeout(timer);
      previewing.delete(admin);
    }
  });

  return router;
}
