import type { RepeatedText, SuggestionEvidence } from '../../shared/suggestions.js';
import { textKey } from '../../shared/text-key.js';
import { HOUR } from '../../shared/time.js';
import type { DetectorContext } from './detector-context.js';
import { en, fr } from './evidence-format.js';
import { log10CountUpperTail } from './statistics.js';
import type { DetectionContribution, DetectorDefinition } from './detector.js';


/**
 * The window holds the last hour, or more (up to six hours) until it holds a few hundred
 * contributions: a small pot's repeats need time to show, a big pot's need precision.
 */
const MIN_WINDOW_MS = HOUR;
const MAX_WINDOW_MS = 6 * HOUR;
const WINDOW_CONTRIBUTIONS = 300;
const MIN_REPEATS = 5;
/** Before this much history the pot's usual repeats ("Courage !", common first names) are unknown. */
const MIN_HISTORY_TEXTS = 50;
const MIN_HISTORY_MS = 6 * HOUR;
const MAX_REMEMBERED_TEXTS = 200_000;
const MAX_SHOWN_REPEATS = 5;
/**
 * A text is a rare repeat when the pot's past makes its count this unlikely (−log10), after
 * allowing for the number of texts tested: common names and phrases repeat all the time.
 */
const MIN_TEXT_SURPRISE = 6;
const MAX_SHOWN_LENGTH = 80;

type Field = RepeatedText['field'];

/** The window with the most contributions carrying rare repeats, for the evidence. */
interface Peak {
  flagged: number;
  contributions: number;
  spanMs: number;
  repeats: RepeatedText[];
  usualExample?: RepeatedText;
}

interface WindowEntry {
  at: number;
  texts: Array<{ key: string; field: Field; text: string }>;
}

/**
 * How often a text may honestly appear, from how often it appeared before: its past count
 * plus two standard deviations (and a half for texts never seen), so that a text seen only
 * a few times in a short past is not taken as rare.
 */
const usualShareUpperBound = (pastCount: number): number => pastCount + 0.5 + 2 * Math.sqrt(pastCount + 0.5);

const shorten = (text: string): string =>
  text.length > MAX_SHOWN_LENGTH ? `${text.slice(0, MAX_SHOWN_LENGTH - 1)}…` : text;


/**
 * Counts each name and message over a recent window and compares it with how often this
 * pot's own past predicts it. Common first names and "Courage !" are common in the past
 * too; a name nobody used before that suddenly appears sixty times an hour is not.
 */
export const duplicateNames: DetectorDefinition = {
  kind: 'duplicate-names',
  create(context) {
    const watch = new DuplicateWatch(context);
    return { onContribution: (contribution) => watch.add(contribution), onCellClosed: () => watch.check() };
  },
};

class DuplicateWatch {
  private readonly window: WindowEntry[] = [];
  private head = 0;
  private latestAt = Number.NEGATIVE_INFINITY;
  private readonly windowCounts = new Map<string, number>();
  private readonly windowTotals: Record<Field, number> = { name: 0, message: 0 };
  private windowContributions = 0;
  private readonly candidates = new Set<string>();
  private readonly history = new Map<string, number>();
  private readonly historyTotals: Record<Field, number> = { name: 0, message: 0 };
  private historyFirstAt = Number.NaN;
  private readonly flagged = new Set<string>();
  private peak: Peak | null = null;

  constructor(private readonly context: DetectorContext) {}

  add(contribution: DetectionContribution): void {
    this.context.count(1);
    const texts: WindowEntry['texts'] = [];
    for (const field of ['name', 'message'] as const) {
      const text = contribution[field];
      const normalized = text ? textKey(text) : '';
      if (normalized) texts.push({ key: `${field}:${normalized}`, field, text: shorten(text!.trim()) });
    }
    if (contribution.at <= this.latestAt - MAX_WINDOW_MS) {
      this.learn({ at: contribution.at, texts });
      return;
    }
    this.window.push({ at: contribution.at, texts });
    this.windowContributions++;
    for (const { key, field } of texts) {
      const n = (this.windowCounts.get(key) ?? 0) + 1;
      this.windowCounts.set(key, n);
      this.windowTotals[field]++;
      if (n === MIN_REPEATS) this.candidates.add(key);
    }
    this.latestAt = Math.max(this.latestAt, contribution.at);
    while (this.head < this.window.length && this.expired(this.window[this.head]!)) this.evict(this.window[this.head++]!);
    if (this.head > 1024) {
      this.window.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Looks at the window of recent contributions; called as each five-minute cell closes. */
  check(): void {
    if (
      this.historyTotals.name + this.historyTotals.message < MIN_HISTORY_TEXTS ||
      !(this.latestAt - this.historyFirstAt >= MIN_HISTORY_MS)
    ) {
      return;
    }
    const tested = this.candidates.size;
    const repeats: RepeatedText[] = [];
    let usualExample: RepeatedText | undefined;
    for (const key of this.candidates) {
      this.context.count(1);
      const n = this.windowCounts.get(key)!;
      const field = key.startsWith('name:') ? 'name' : 'message';
      const usual = (this.windowTotals[field] * usualShareUpperBound(this.history.get(key) ?? 0)) / (this.historyTotals[field] + 1);
      const surprise = -log10CountUpperTail(n, usual) - Math.log10(Math.max(1, tested));
      const entry: RepeatedText = { field, text: key.slice(field.length + 1), count: n, usual: Math.round(usual * 100) / 100 };
      if (surprise >= MIN_TEXT_SURPRISE) repeats.push(entry);
      else if (!usualExample || n > usualExample.count) usualExample = entry;
    }
    if (repeats.length === 0) return;
    const flaggedKeys = new Set(repeats.map((repeat) => `${repeat.field}:${repeat.text}`));
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    let flaggedContributions = 0;
    const shown = new Map<string, string>();
    for (let i = this.head; i < this.window.length; i++) {
      const entry = this.window[i]!;
      this.context.count(1);
      const hits = entry.texts.filter(({ key }) => flaggedKeys.has(key));
      if (hits.length === 0) continue;
      flaggedContributions++;
      first = Math.min(first, entry.at);
      last = Math.max(last, entry.at);
      for (const hit of hits) if (!shown.has(hit.key)) shown.set(hit.key, hit.text);
    }
    if (flaggedContributions < 2 * MIN_REPEATS) return;
    for (const key of flaggedKeys) this.flagged.add(key);
    for (const repeat of repeats) repeat.text = shown.get(`${repeat.field}:${repeat.text}`) ?? repeat.text;
    if (usualExample) usualExample.text = this.displayText(usualExample);
    repeats.sort((a, b) => b.count - a.count);
    const window = { from: first, to: Math.max(last, first + 1), strength: 0 };
    const open = this.context.findings.overlapping('duplicate-names', window.from, window.to + MAX_WINDOW_MS);
    if (!open || !this.peak || flaggedContributions >= this.peak.flagged) {
      const spanMs = this.latestAt - this.window[this.head]!.at;
      this.peak = { flagged: flaggedContributions, contributions: this.windowContributions, spanMs, repeats, usualExample };
    }
    window.strength = Math.min(...repeats.map((repeat) => -log10CountUpperTail(repeat.count, repeat.usual || 0.01)));
    const peak = this.peak;
    this.context.findings.report('duplicate-names', window, (from, to) => describeDuplicates(from, to, peak));
  }

  private expired(entry: WindowEntry): boolean {
    const age = this.latestAt - entry.at;
    return age >= MAX_WINDOW_MS || (age >= MIN_WINDOW_MS && this.windowContributions > WINDOW_CONTRIBUTIONS);
  }

  private displayText(repeat: RepeatedText): string {
    const key = `${repeat.field}:${repeat.text}`;
    for (let i = this.head; i < this.window.length; i++) {
      const hit = this.window[i]!.texts.find((text) => text.key === key);
      if (hit) return hit.text;
    }
    return repeat.text;
  }

  private evict(entry: WindowEntry): void {
    this.windowContributions--;
    for (const { key, field } of entry.texts) {
      const n = this.windowCounts.get(key)! - 1;
      this.windowTotals[field]--;
      if (n === 0) this.windowCounts.delete(key);
      else this.windowCounts.set(key, n);
      if (n < MIN_REPEATS) this.candidates.delete(key);
    }
    this.learn(entry);
  }

  /** Repeats raised as suspicious never become "usual" for the pot. */
  private learn(entry: WindowEntry): void {
    if (Number.isNaN(this.historyFirstAt)) this.historyFirstAt = entry.at;
    for (const { key, field } of entry.texts) {
      if (this.flagged.has(key)) continue;
      this.history.set(key, (this.history.get(key) ?? 0) + 1);
      this.historyTotals[field]++;
    }
    if (this.history.size > MAX_REMEMBERED_TEXTS) {
      for (const [key, n] of this.history) if (n <= 1) this.history.delete(key);
    }
  }
}

function describeDuplicates(from: number, to: number, peak: Peak): SuggestionEvidence {
  const shown = peak.repeats.slice(0, MAX_SHOWN_REPEATS);
  const busiest = Math.max(HOUR, peak.spanMs);
  const example = peak.usualExample;
  const fieldFr = (field: Field) => (field === 'name' ? 'nom' : 'message');
  const listEn = shown
    .map((repeat) => `${repeat.field} "${repeat.text}" x${en.count(repeat.count)} (usual: ${repeat.usual < 0.1 ? 'under 0.1' : en.decimal(repeat.usual)})`)
    .join('; ');
  const listFr = shown
    .map(
      (repeat) =>
        `${fieldFr(repeat.field)} « ${repeat.text} » x${fr.count(repeat.count)} (d'habitude : ${repeat.usual < 0.1 ? 'moins de 0,1' : fr.decimal(repeat.usual)})`,
    )
    .join(' ; ');
  return {
    summary:
      `Repeated donor names or messages from ${en.span(from, to)}: in the busiest ${en.duration(busiest)}, ${en.count(peak.flagged)} of ` +
      `${en.count(peak.contributions)} contributions carried one of ${en.count(peak.repeats.length)} texts that this pot's ` +
      `past makes rare: ${listEn}.` +
      (example ? ` Repeats usual for this pot, such as ${example.field} "${example.text}" (x${en.count(example.count)}), are not counted.` : ''),
    summaryFr:
      `Noms de donateurs ou messages répétés, ${fr.span(from, to)} : dans la période la plus chargée (${fr.duration(busiest)}), ${fr.count(peak.flagged)} des ` +
      `${fr.count(peak.contributions)} contributions portaient l'un des ${fr.count(peak.repeats.length)} textes que le passé de cette cagnotte ` +
      `rend rares : ${listFr}.` +
      (example
        ? ` Les répétitions habituelles pour cette cagnotte, comme ${fieldFr(example.field)} « ${example.text} » (x${fr.count(example.count)}), ne sont pas comptées.`
        : ''),
    contributionsWithRepeats: peak.flagged,
    contributionsInWindow: peak.contributions,
    windowMinutes: Math.round(Math.max(HOUR, peak.spanMs) / 60_000),
    repeatedTexts: shown,
  };
}
