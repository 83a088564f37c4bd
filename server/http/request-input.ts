import type { z } from 'zod';
import { describeIssue } from '../../shared/schemas.js';
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
