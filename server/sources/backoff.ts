/**
 * How long to wait before the next attempt after `failures` failures in a row: the
 * interval doubles with each failure up to `maxMs`, and a random part ("equal jitter",
 * between half and all of it) keeps many pollers of one platform from retrying in step.
 */
export function backoffDelay(failures: number, everyMs: number, maxMs: number, random: () => number = Math.random): number {
  if (failures <= 0) return everyMs;
  const ceiling = Math.min(Math.max(maxMs, everyMs), everyMs * 2 ** Math.min(failures, 40));
  return ceiling / 2 + (random() * ceiling) / 2;
}
