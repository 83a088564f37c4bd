import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { learnKindCalibration, type CalibrationTable } from '../server/detect/calibration.js';
import { PotDetector } from '../server/detect/pot-detector.js';
import { SUGGESTION_KINDS, type SuggestionKind } from '../shared/suggestions.js';
import { DAY } from '../shared/time.js';
import type { FamilyPot } from '../tests/fixtures/synthetic/families.js';

/**
 * Learns the calibration (server/detect/calibration.ts) from honest pots: each pot runs
 * with nothing raised, every window any detector reports is heard, and the strongest of
 * each kind is kept per pot-day. A kind that needs contributions counts only the pot-days
 * that had them.
 */

const TABLE_FILE = fileURLToPath(new URL('../server/detect/calibration-table.ts', import.meta.url));
const NEEDS_CONTRIBUTIONS: readonly SuggestionKind[] = ['duplicate-names'];

export interface DailyMaxima {
  potDays: Record<SuggestionKind, number>;
  maxima: Record<SuggestionKind, number[]>;
}

export function emptyMaxima(): DailyMaxima {
  return {
    potDays: Object.fromEntries(SUGGESTION_KINDS.map((kind) => [kind, 0])) as Record<SuggestionKind, number>,
    maxima: Object.fromEntries(SUGGESTION_KINDS.map((kind) => [kind, []])) as unknown as Record<SuggestionKind, number[]>,
  };
}

/** Adds one honest pot's strongest window of each kind per day of its history. */
export function observeHonestPot(pot: FamilyPot, into: DailyMaxima): void {
  const first = pot.readings[0]?.at;
  if (first === undefined) return;
  const days = Math.ceil(pot.days);
  const strongest = new Map<SuggestionKind, number[]>(SUGGESTION_KINDS.map((kind) => [kind, new Array<number>(days).fill(-Infinity)]));
  const detector = new PotDetector({
    alarmScore: Number.POSITIVE_INFINITY,
    observe: (kind, strength, at) => {
      const day = Math.min(days - 1, Math.max(0, Math.floor((at - first) / DAY)));
      const row = strongest.get(kind)!;
      row[day] = Math.max(row[day]!, strength);
    },
  });
  detector.push(pot.readings, pot.contributions);
  detector.flush();
  for (const kind of SUGGESTION_KINDS) {
    if (NEEDS_CONTRIBUTIONS.includes(kind) && pot.contributions.length === 0) continue;
    into.potDays[kind] += pot.days;
    into.maxima[kind].push(...strongest.get(kind)!);
  }
}

export function calibrationTable(maxima: DailyMaxima, learnedOn: string): CalibrationTable {
  return {
    learnedOn,
    kinds: Object.fromEntries(
      SUGGESTION_KINDS.map((kind) => [kind, learnKindCalibration(maxima.maxima[kind], Math.round(maxima.potDays[kind]))]),
    ) as CalibrationTable['kinds'],
  };
}

export function writeCalibrationTable(table: CalibrationTable): void {
  writeFileSync(
    TABLE_FILE,
    `import type { CalibrationTable } from './calibration.js';\n\n` +
      `/** Written by \`npm run eval -- --calibrate\` from the tuning set; do not edit by hand. */\n` +
      `export const CALIBRATION_TABLE: CalibrationTable = ${JSON.stringify(table, null, 2)};\n`,
  );
}
