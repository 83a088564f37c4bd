import { appendFileSync } from 'node:fs';

/**
 * How hard the reliability and property tests push: 1 in `npm test` (a few kills, moderate
 * property runs), more under `npm run soak` (POTWATCH_SOAK=<factor>).
 */
export function soakIntensity(): number {
  const text = process.env.POTWATCH_SOAK;
  const factor = text ? Number(text) : 1;
  if (!Number.isInteger(factor) || factor < 1) throw new Error(`POTWATCH_SOAK must be a whole number of at least 1, got "${text}"`);
  return factor;
}

/** Property runs for a parser: `base` per unit of intensity. */
export const propertyRuns = (base: number): number => base * soakIntensity();

/** Test timeout that grows with the intensity. */
export const soakTimeout = (baseMs: number): number => baseMs * soakIntensity();

/** Appends what a test measured to the soak report (POTWATCH_SOAK_REPORT), one JSON line per record. */
export function recordFigures(section: string, figures: Record<string, unknown>): void {
  const file = process.env.POTWATCH_SOAK_REPORT;
  if (file) appendFileSync(file, `${JSON.stringify({ section, ...figures })}\n`);
}
