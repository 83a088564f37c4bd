import { parseInstant } from '../../../shared/time.js';

/**
 * The interval a link to a pot's page points at (`?from=&to=`, ISO-8601 or epoch ms), as
 * alerts write them for a suggestion or a flag; undefined when the address names none, or a
 * malformed or backward one.
 */
export function linkedInterval(search: string): { from: number; to: number } | undefined {
  const query = new URLSearchParams(search);
  const from = parseInstant(query.get('from') ?? undefined);
  const to = parseInstant(query.get('to') ?? undefined);
  if (!from.ok || !to.ok || from.at > to.at) return undefined;
  return { from: from.at, to: to.at };
}
