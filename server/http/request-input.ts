import type { Request } from 'express';
import { z } from 'zod';
import { describeIssue, wholeNumberQuery } from '../../shared/schemas.js';
import { HttpError } from './errors.js';

/**
 * A request's body or query parsed with `schema`; anything else is refused with a 400 of
 * `code` that names the first field at fault.
 */
export function parseRequestInput<S extends z.ZodType>(schema: S, input: unknown, code: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = describeIssue(parsed.error);
    throw new HttpError(400, code, issue.message, issue.field);
  }
  return parsed.data;
}

/** The `:id` of the path when it names a tracked pot; a 404 on the field `id` otherwise. */
export function trackedPotId(req: Request, pots: { has(potId: string): boolean }): string {
  const potId = String(req.params.id);
  if (!pots.has(potId)) throw new HttpError(404, 'pot_not_found', `there is no pot "${potId}"`, 'id');
  return potId;
}

/** A path parameter that must be a whole number (the id of a flag or a suggestion); a 400 of `code` otherwise. */
export function wholeNumberParam(req: Request, name: string, code: string): number {
  const text = String(req.params[name]);
  if (!/^\d{1,15}$/.test(text)) throw new HttpError(400, code, `${name} must be a whole number`, name);
  return Number(text);
}

/**
 * `?limit=&before=<id>` of a list read newest first, one page at a time: `limit` from 1 to
 * `maxPage`, `before` the id of the last entry of the previous page.
 */
export function pageQueryFields(maxPage: number) {
  return {
    limit: wholeNumberQuery(1, maxPage).optional(),
    before: z.string().regex(/^\d{1,15}$/, 'must be an entry id').transform(Number).optional(),
  };
}
