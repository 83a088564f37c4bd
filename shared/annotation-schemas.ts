import { z } from 'zod';
import { MAX_ANNOTATION_LABEL } from './annotations.js';
import { instantSchema, wellFormed } from './schemas.js';

const text = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_ANNOTATION_LABEL, `must be at most ${MAX_ANNOTATION_LABEL} characters`)
  .transform(wellFormed);

const labelSchema = z.union([text, z.object({ fr: text, en: text }).strict()], {
  error: `must be a text of at most ${MAX_ANNOTATION_LABEL} characters, or {fr, en}`,
});

const urlSchema = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).max(2000, 'must be at most 2000 characters');

export const createAnnotationSchema = z.object({ at: instantSchema, label: labelSchema, url: urlSchema.optional() }).strict();

/** `url: null` removes the link. */
export const updateAnnotationSchema = z
  .object({ at: instantSchema.optional(), label: labelSchema.optional(), url: urlSchema.nullable().optional() })
  .strict();

export type CreateAnnotationInput = z.output<typeof createAnnotationSchema>;
export type UpdateAnnotationInput = z.output<typeof updateAnnotationSchema>;
