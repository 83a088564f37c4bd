import { z } from 'zod';
import { FLAG_REASONS, MAX_FLAG_NOTE_LENGTH } from './flags.js';
import { majorToMinor } from './money.js';
import { RATE_BUCKETS } from './rate.js';
import { POT_ID_PATTERN } from './pot-id.js';
import { parseInstant } from './time.js';

export { POT_ID_PATTERN };

export const potIdSchema = z
  .string()
  .regex(POT_ID_PATTERN, 'must be 1-64 lowercase letters, digits or dashes, not starting with a dash');

/** ISO-8601 with offset, or epoch milliseconds (number or digit string) -> epoch ms. */
export const instantSchema = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const parsed = parseInstant(value);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.reason });
    return z.NEVER;
  }
  return parsed.at;
});

/** An amount in major units (number or decimal string) -> exact integer of minor units. */
export function majorAmountSchema(currency: string) {
  return z.union([z.number(), z.string().max(40)]).transform((value, ctx) => {
    const parsed = majorToMinor(value, currency);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.reason });
      return z.NEVER;
    }
    return parsed.minor;
  });
}

export const contributorsSchema = z
  .number({ error: 'must be a whole number' })
  .int('must be a whole number')
  .min(0, 'must not be negative')
  .max(Number.MAX_SAFE_INTEGER, 'is too large');

export const subscribePayloadSchema = z.object({ potId: potIdSchema });

/** A query-string parameter holding a whole number from `min` to `max`. */
export function wholeNumberQuery(min: number, max: number) {
  return z
    .string()
    .regex(/^\d{1,9}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
}

export const MAX_SERIES_POINTS = 5000;

export const seriesQuerySchema = z.object({
  from: instantSchema.optional(),
  to: instantSchema.optional(),
  points: wholeNumberQuery(2, MAX_SERIES_POINTS).optional(),
});

export const rateQuerySchema = z.object({
  bucket: z.enum(RATE_BUCKETS, { error: `must be one of ${RATE_BUCKETS.join(', ')}` }).default('1h'),
  from: instantSchema.optional(),
  to: instantSchema.optional(),
});

/** The first problem of a failed parse, with the offending field as a readable path. */
export function describeIssue(error: z.ZodError): { field?: string; message: string } {
  const issue = error.issues[0];
  if (!issue) return { message: 'invalid input' };
  if (issue.code === 'unrecognized_keys') {
    const field = formatPath([...issue.path, issue.keys[0]!])!;
    return { field, message: `${field} is not a field that can be set here` };
  }
  const field = formatPath(issue.path);
  return field ? { field, message: `${field} ${issue.message}` } : { message: issue.message };
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string | undefined {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text ? `.${String(part)}` : String(part);
  }
  return text || undefined;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text from outside with any lone UTF-16 surrogate (legal in JSON: a cut emoji, say) replaced
 * by U+FFFD: stored as it is, it would become invalid UTF-8 in the database.
 */
export const wellFormed = (text: string): string => text.replace(LONE_SURROGATE, '\uFFFD');

export const wellFormedText = (maxLength: number) => z.string().max(maxLength).transform(wellFormed);

export const MAX_WEBHOOK_READINGS = 1000;
export const MAX_CONTRIBUTIONS_PER_READING = 10_000;

export function webhookReadingSchema(currency: string) {
  const amount = majorAmountSchema(currency);
  return z.object({
    at: instantSchema.optional(),
    amount,
    contributors: contributorsSchema,
    contributions: z
      .array(
        z.object({
          id: wellFormedText(200).pipe(z.string().min(1, 'must not be empty')),
          at: instantSchema.optional(),
          amount: amount.optional(),
          name: wellFormedText(200).optional(),
          message: wellFormedText(2000).optional(),
        }),
      )
      .max(MAX_CONTRIBUTIONS_PER_READING)
      .optional(),
  });
}

export function webhookBatchSchema(currency: string) {
  return z
    .array(webhookReadingSchema(currency))
    .min(1, 'must hold at least one reading')
    .max(MAX_WEBHOOK_READINGS, `must hold at most ${MAX_WEBHOOK_READINGS} readings`);
}

export type WebhookReading = z.output<ReturnType<typeof webhookReadingSchema>>;

const reasonSchema = z.enum(FLAG_REASONS, { error: `must be one of ${FLAG_REASONS.join(', ')}` });
const noteSchema = z
  .string({ error: 'must be a string' })
  .max(MAX_FLAG_NOTE_LENGTH, `must be at most ${MAX_FLAG_NOTE_LENGTH} characters`)
  .transform(wellFormed);
const booleanSchema = z.boolean({ error: 'must be true or false' });

export const createFlagSchema = z
  .object({
    from: instantSchema,
    to: instantSchema,
    reason: reasonSchema,
    note: noteSchema.optional(),
    published: booleanSchema,
  })
  .refine((flag) => flag.from <= flag.to, { message: 'must not be before from', path: ['to'] });

export const updateFlagSchema = z.object({
  from: instantSchema.optional(),
  to: instantSchema.optional(),
  reason: reasonSchema.optional(),
  note: noteSchema.optional(),
  published: booleanSchema.optional(),
  resolved: booleanSchema.optional(),
});

export type CreateFlagInput = z.output<typeof createFlagSchema>;
export type UpdateFlagInput = z.output<typeof updateFlagSchema>;

/** Confirming a suggestion makes a flag: the same reason, note and publication as a flag's. */
export const confirmSuggestionSchema = z.object({
  reason: reasonSchema.optional(),
  note: noteSchema.optional(),
  published: booleanSchema.optional(),
});

export const dismissSuggestionSchema = z.object({ note: noteSchema.optional() });
