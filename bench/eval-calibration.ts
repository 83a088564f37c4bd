import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { learnKindCalibration, type CalibrationTable } from '../server/detect/calibration.js';
import { PotDetector } from '../server/detect/pot-detector.js';
import { SUGGESTION_KINDS, type SuggestionKind } from '../shared/suggestions.js';
import { DAY, HOUR } from '../shared/time.js';
import type { FamilyPot } from '../tests/fixtures/synthetic/families.js';

/**
 * Learns the calibration (server/detect/calibration.ts) from honest pot-days: each pot runs
 * with nothing raised, every window any detector reports is heard, and the strongest of
 * each kind is kept per pot-day. A pot with an injected pattern lends the whole days it
 * lived before the pattern began (an hour of margin), when it was an honest pot like any
 * other. A kind that needs contributions counts only the pot-days that had them.
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

/** Before an injected pattern, the pot was honest: its whole days up to an hour before the pattern count. */
const HONEST_MARGIN_MS = HOUR;

/** Adds one pot's strongest window of each kind per honest day of its history. */
export function observeHonestDays(pot: FamilyPot, into: DailyMaxima): void {
  const first = pot.readings[0]?.at;
  if (first === undefined) return;
  const injectedFrom = Math.min(...pot.events.map((event) => event.from));
  const days = pot.honest ? Math.ceil(pot.days) : Math.floor((injectedFrom - HONEST_MARGIN_MS - first) / DAY);
  if (days <= 0) return;
  const honestDays = pot.honest ? pot.days : days;
  const strongest = new Map<SuggestionKind, number[]>(SUGGESTION_KINDS.map((kind) => [kind, new Array<number>(days).fill(-Infinity)]));
  const detector = new PotDetector({
    alarmScore: Number.POSITIVE_INFINITY,
    observe: (kind, strength, at) => {
      const day = Math.min(days - 1, Math.max(0, Math.floor((at - first) / DAY)));
      const row = strongest.get(kind)!;
      row[day] = Math.max(row[day]!, strength);
    },
  });
  const until = pot.honest ? Number.POSITIVE_INFINITY : first + days * DAY;
  const contributions = pot.contributions.filter((contribution) => contribution.at < until);
  detector.push(pot.readings.filter((reading) => reading.at < until), contributions);
  detector.flush();
  for (const kind of SUGGESTION_KINDS) {
    if (NEEDS_CONTRIBUTIONS.includes(kind) && contributions.length === 0) continue;
    into.potDays[kind] += honestDays;
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
