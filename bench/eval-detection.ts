import { fileURLToPath } from 'node:url';
import { detectHistory } from '../server/detect/detect-history.js';
import { SUGGESTION_KINDS, type DetectedInterval, type SuggestionKind } from '../shared/suggestions.js';
import { MINUTE } from '../shared/time.js';
import { syntheticPot, type LabelledEvent, type SyntheticPot } from '../tests/fixtures/synthetic/synthetic-pots.js';

/**
 * Precision, recall and F1 of detection on labelled synthetic pots, and how many honest
 * pots stay completely quiet. Thresholds were chosen on the tuning seeds (from 1); the
 * reported figures use the evaluation seeds (from 1,000,000), never looked at while tuning.
 */

export const TUNING_FIRST_SEED = 1;
export const EVALUATION_FIRST_SEED = 1_000_000;
export const DEFAULT_POTS = 480;

/** A suggestion counts for an event when they overlap, the event widened by this much on each side. */
const MATCH_TOLERANCE_MS = 15 * MINUTE;

export interface KindScore {
  kind: SuggestionKind;
  events: number;
  detected: number;
  suggestions: number;
  correct: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface EvaluationReport {
  firstSeed: number;
  pots: number;
  readings: number;
  honestPots: number;
  quietHonestPots: number;
  quietRate: number;
  byKind: KindScore[];
  overall: { precision: number; recall: number; f1: number };
  byTrait: Array<{ trait: string; pots: number; quiet: number }>;
  bySize: Array<{ size: string; events: number; detected: number; honestPots: number; quiet: number }>;
  bySampling: Array<{ seconds: number; events: number; detected: number; honestPots: number; quiet: number }>;
  falseAlarms: string[];
  misses: string[];
  microsecondsPerReading: number;
}

const accepts = (event: LabelledEvent, kind: SuggestionKind) => event.kind === kind || event.alsoAccepted.includes(kind);
const overlaps = (suggestion: DetectedInterval, event: LabelledEvent) =>
  suggestion.from < event.to + MATCH_TOLERANCE_MS && suggestion.to > event.from - MATCH_TOLERANCE_MS;

interface PotOutcome {
  pot: SyntheticPot;
  suggestions: DetectedInterval[];
  /** Per suggestion: whether it matches an event that accepts its kind. */
  correct: boolean[];
  /** Per event: whether a suggestion of its own kind matched it. */
  detected: boolean[];
}

function judge(pot: SyntheticPot, suggestions: DetectedInterval[]): PotOutcome {
  return {
    pot,
    suggestions,
    correct: suggestions.map((s) => pot.events.some((event) => accepts(event, s.kind) && overlaps(s, event))),
    detected: pot.events.map((event) => suggestions.some((s) => s.kind === event.kind && overlaps(s, event))),
  };
}

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
const f1 = (precision: number, recall: number) => (precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall));
const sizeBand = (perDay: number) => (perDay < 300 ? '50-300/day' : perDay < 3000 ? '300-3,000/day' : perDay < 20000 ? '3,000-20,000/day' : '20,000-50,000/day');

export function evaluateDetection(options: { firstSeed?: number; pots?: number; onPot?: (done: number) => void } = {}): EvaluationReport {
  const firstSeed = options.firstSeed ?? EVALUATION_FIRST_SEED;
  const count = options.pots ?? DEFAULT_POTS;
  const outcomes: PotOutcome[] = [];
  let detectionMs = 0;
  let readings = 0;
  for (let seed = firstSeed; seed < firstSeed + count; seed++) {
    const pot = syntheticPot(seed);
    const started = performance.now();
    const suggestions = detectHistory(pot.readings, pot.contributions);
    detectionMs += performance.now() - started;
    readings += pot.readings.length;
    outcomes.push(judge(pot, suggestions));
    options.onPot?.(outcomes.length);
  }

  const byKind = SUGGESTION_KINDS.map((kind): KindScore => {
    let events = 0;
    let detected = 0;
    let suggestions = 0;
    let correct = 0;
    for (const outcome of outcomes) {
      outcome.pot.events.forEach((event, i) => {
        if (event.kind !== kind) return;
        events++;
        if (outcome.detected[i]) detected++;
      });
      outcome.suggestions.forEach((s, i) => {
        if (s.kind !== kind) return;
        suggestions++;
        if (outcome.correct[i]) correct++;
      });
    }
    const precision = ratio(correct, suggestions);
    const recall = ratio(detected, events);
    return { kind, events, detected, suggestions, correct, precision, recall, f1: f1(precision, recall) };
  });
  const totals = byKind.reduce(
    (sum, k) => ({ events: sum.events + k.events, detected: sum.detected + k.detected, suggestions: sum.suggestions + k.suggestions, correct: sum.correct + k.correct }),
    { events: 0, detected: 0, suggestions: 0, correct: 0 },
  );
  const precision = ratio(totals.correct, totals.suggestions);
  const recall = ratio(totals.detected, totals.events);

  const honest = outcomes.filter((o) => o.pot.honest);
  const quiet = (o: PotOutcome) => o.suggestions.length === 0;
  const traits = [...new Set(honest.flatMap((o) => o.pot.traits))];
  const group = <K extends string | number>(key: (pot: SyntheticPot) => K) => {
    const keys = [...new Set(outcomes.map((o) => key(o.pot)))];
    return keys.map((k) => {
      const members = outcomes.filter((o) => key(o.pot) === k);
      const honestMembers = members.filter((o) => o.pot.honest);
      return {
        key: k,
        events: members.reduce((n, o) => n + o.pot.events.length, 0),
        detected: members.reduce((n, o) => n + o.detected.filter(Boolean).length, 0),
        honestPots: honestMembers.length,
        quiet: honestMembers.filter(quiet).length,
      };
    });
  };
  const describe = (o: PotOutcome, s: DetectedInterval) =>
    `seed ${o.pot.seed} (${o.pot.description}): ${s.kind} ${new Date(s.from).toISOString()}..${new Date(s.to).toISOString()} score ${s.score}`;

  return {
    firstSeed,
    pots: outcomes.length,
    readings,
    honestPots: honest.length,
    quietHonestPots: honest.filter(quiet).length,
    quietRate: ratio(honest.filter(quiet).length, honest.length),
    byKind,
    overall: { precision, recall, f1: f1(precision, recall) },
    byTrait: traits.map((trait) => {
      const members = honest.filter((o) => o.pot.traits.includes(trait));
      return { trait, pots: members.length, quiet: members.filter(quiet).length };
    }),
    bySize: ['50-300/day', '300-3,000/day', '3,000-20,000/day', '20,000-50,000/day'].map((size) => {
      const row = group((pot) => sizeBand(pot.contributorsPerDay)).find((g) => g.key === size);
      return { size, events: row?.events ?? 0, detected: row?.detected ?? 0, honestPots: row?.honestPots ?? 0, quiet: row?.quiet ?? 0 };
    }),
    bySampling: group((pot) => pot.samplingSeconds)
      .sort((a, b) => a.key - b.key)
      .map(({ key, ...rest }) => ({ seconds: key, ...rest })),
    falseAlarms: outcomes.flatMap((o) => o.suggestions.filter((_, i) => !o.correct[i]).map((s) => describe(o, s))),
    misses: outcomes.flatMap((o) =>
      o.pot.events
        .filter((_, i) => !o.detected[i])
        .map((e) => `seed ${o.pot.seed} (${o.pot.description}): missed ${e.kind} ${new Date(e.from).toISOString()}..${new Date(e.to).toISOString()}; got ${o.suggestions.map((s) => s.kind).join(', ') || 'nothing'}`),
    ),
    microsecondsPerReading: (detectionMs * 1000) / Math.max(1, readings),
  };
}

const pct = (value: number) => `${(value * 100).toFixed(1)}%`;

export function formatReport(report: EvaluationReport): string {
  const lines = [
    `Detection on ${report.pots} synthetic pots (seeds ${report.firstSeed}..${report.firstSeed + report.pots - 1}, ${report.readings.toLocaleString('en')} readings)`,
    '',
    '| pattern | events | detected | suggestions | correct | precision | recall | F1 |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...report.byKind.map((k) => `| ${k.kind} | ${k.events} | ${k.detected} | ${k.suggestions} | ${k.correct} | ${pct(k.precision)} | ${pct(k.recall)} | ${k.f1.toFixed(3)} |`),
    `| **overall** | | | | | ${pct(report.overall.precision)} | ${pct(report.overall.recall)} | **${report.overall.f1.toFixed(3)}** |`,
    '',
    `Honest pots with no suggestion at all: ${report.quietHonestPots}/${report.honestPots} (${pct(report.quietRate)})`,
    ...report.byTrait.map((t) => `  with ${t.trait}: ${t.quiet}/${t.pots} quiet`),
    '',
    'By pot size: ' + report.bySize.map((s) => `${s.size} recall ${s.detected}/${s.events}, quiet ${s.quiet}/${s.honestPots}`).join('; '),
    'By sampling: ' + report.bySampling.map((s) => `${s.seconds}s recall ${s.detected}/${s.events}, quiet ${s.quiet}/${s.honestPots}`).join('; '),
    `Detection cost: ${report.microsecondsPerReading.toFixed(1)} µs per reading (whole histories, contributions included)`,
  ];
  if (report.falseAlarms.length) lines.push('', 'False alarms:', ...report.falseAlarms.slice(0, 30).map((line) => `  ${line}`));
  if (report.misses.length) lines.push('', 'Misses:', ...report.misses.slice(0, 30).map((line) => `  ${line}`));
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const tuning = args.includes('--tuning');
  const potsArg = args.find((arg) => arg.startsWith('--pots='));
  const report = evaluateDetection({
    firstSeed: tuning ? TUNING_FIRST_SEED : EVALUATION_FIRST_SEED,
    pots: potsArg ? Number(potsArg.slice('--pots='.length)) : DEFAULT_POTS,
    onPot: (done) => {
      if (process.stderr.isTTY) process.stderr.write(`\r${done} pots`);
    },
  });
  if (process.stderr.isTTY) process.stderr.write('\r');
  process.stdout.write(args.includes('--json') ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
}
