import type { DetectedInterval, SuggestionEvidence, SuggestionKind } from '../../shared/suggestions.js';
import { HOUR } from '../../shared/time.js';
import type { Calibration, Rarity } from './calibration.js';
import { CELL_MS } from './cells.js';
import { en, fr, round } from './evidence-format.js';

/** A detected interval with a stable id while it may still grow. */
export interface Finding extends DetectedInterval {
  id: number;
  /** Set when a more specific finding explains the same stretch; a stored suggestion still pending is removed. */
  withdrawn?: boolean;
}

/** A window a detector found remarkable, with the strength of its evidence (see detector.ts). */
export interface FlaggedWindow {
  from: number;
  to: number;
  strength: number;
}

export type Describe = (from: number, to: number) => SuggestionEvidence;

export interface FindingBookOptions {
  calibration: Calibration;
  /** Windows scoring under this are not raised (log10 of honest pot-days per occurrence). */
  alarmScore: number;
  /** For each kind, the kinds whose findings explain it (see DetectorDefinition). */
  explainedBy: Partial<Record<SuggestionKind, readonly SuggestionKind[]>>;
  /** Hears every window reported, raised or not: how the calibration is learned on honest pots. */
  observe?: (kind: SuggestionKind, strength: number, at: number) => void;
}
/**
 * Evidence is computed once per batch of readings, over at most this much of a finding's
 * end, so that a long finding does not make each reading cost more.
 */
const MAX_DESCRIBED_MS = 12 * HOUR;

/**
 * Turns flagged windows into findings: windows of one kind that overlap or touch extend
 * the same finding (a night is one suggestion, not seventy), and every change is queued
 * for the caller to store.
 */
export class FindingBook {
  private readonly latest = new Map<SuggestionKind, Finding>();
  private readonly recent: Finding[] = [];
  private changed = new Map<number, Finding>();
  /**
   * How to describe each finding and the rarity behind its score: both those of the window
   * that set the score, so that a weaker window of another route extending the finding
   * does not tell its story instead.
   */
  private readonly describers = new Map<number, Describe>();
  private readonly rarities = new Map<number, Rarity>();
  private toDescribe = new Set<number>();
  private nextId = 1;

  constructor(private readonly options: FindingBookOptions) {}

  report(kind: SuggestionKind, window: FlaggedWindow, describe: Describe): Finding | undefined {
    this.options.observe?.(kind, window.strength, window.to);
    const rarity = this.options.calibration.rarity(kind, window.strength);
    if (!(rarity.score >= this.options.alarmScore)) return undefined;
    if (this.options.explainedBy[kind]?.some((by) => this.mostlyCovered(window, by))) return undefined;
    const score = Math.round(rarity.score * 100) / 100;
    const open = this.latest.get(kind);
    let finding: Finding;
    if (open && window.from <= open.to + CELL_MS && window.to >= open.from - CELL_MS) {
      const from = Math.min(open.from, window.from);
      const to = Math.max(open.to, window.to);
      const best = Math.max(open.score, score);
      if (from === open.from && to === open.to && best === open.score) return open;
      finding = { ...open, from, to, score: best };
    } else {
      finding = { id: this.nextId++, kind, from: window.from, to: window.to, score, evidence: { summary: '' } };
      this.recent.push(finding);
      if (this.recent.length > 64) this.forget(this.recent.shift()!);
    }
    if (finding.score === score) {
      this.rarities.set(finding.id, { ...rarity, score });
      this.describers.set(finding.id, describe);
    }
    this.latest.set(kind, finding);
    if (open && open.id !== finding.id && !this.recent.some((candidate) => candidate.id === open.id)) this.forget(open);
    const index = this.recent.findIndex((candidate) => candidate.id === finding.id);
    if (index >= 0) this.recent[index] = finding;
    this.changed.set(finding.id, finding);
    this.toDescribe.add(finding.id);
    this.withdrawExplained(finding);
    return finding;
  }

  /** A finding too old to be extended any more needs no description. */
  private forget(finding: Finding): void {
    if (this.latest.get(finding.kind)?.id === finding.id) return;
    this.describers.delete(finding.id);
    this.rarities.delete(finding.id);
  }

  private withdrawExplained(finding: Finding): void {
    for (const [explained, by] of Object.entries(this.options.explainedBy) as Array<[SuggestionKind, readonly SuggestionKind[]]>) {
      if (!by.includes(finding.kind)) continue;
      for (let i = 0; i < this.recent.length; i++) {
        const candidate = this.recent[i]!;
        if (candidate.kind !== explained || candidate.withdrawn || !this.mostlyCovered(candidate, finding.kind)) continue;
        const withdrawn = { ...candidate, withdrawn: true };
        this.recent[i] = withdrawn;
        if (this.latest.get(explained)?.id === candidate.id) this.latest.delete(explained);
        this.changed.set(candidate.id, withdrawn);
      }
    }
  }

  /** Whether findings of `kind` cover at least half of [from, to]. */
  private mostlyCovered(interval: { from: number; to: number }, kind: SuggestionKind): boolean {
    let covered = 0;
    for (const finding of this.recent) {
      if (finding.kind !== kind || finding.withdrawn) continue;
      covered += Math.max(0, Math.min(finding.to, interval.to) - Math.max(finding.from, interval.from));
    }
    return covered >= 0.5 * Math.max(1, interval.to - interval.from);
  }

  /** The most recent finding of `kind` overlapping [from, to], if any. */
  overlapping(kind: SuggestionKind | null, from: number, to: number): Finding | undefined {
    for (let i = this.recent.length - 1; i >= 0; i--) {
      const finding = this.recent[i]!;
      if (finding.withdrawn) continue;
      if ((kind === null || finding.kind === kind) && finding.from < to && finding.to > from) return finding;
    }
    return undefined;
  }

  /**
   * Brings the evidence of the findings changed since the last call up to date. Called as
   * each cell closes, so that evidence is computed once per cell whatever the number of
   * windows reported, and reflects what was known at that moment whatever the batching.
   */
  settle(): void {
    for (const id of this.toDescribe) {
      const finding = this.changed.get(id);
      if (!finding || finding.withdrawn) continue;
      const from = Math.max(finding.from, finding.to - MAX_DESCRIBED_MS);
      const evidence = this.describers.get(id)!(from, finding.to);
      const rarity = this.rarities.get(id)!;
      const ending = (words: typeof en) =>
        (from > finding.from ? ` ${words.lastPartOnly(MAX_DESCRIBED_MS, finding.to - finding.from)}` : '') + ` ${words.rarity(rarity)}`;
      evidence.summary += ending(en);
      if (evidence.summaryFr !== undefined) evidence.summaryFr += ending(fr);
      evidence.honestPotDaysPerOccurrence = round(10 ** rarity.score, 0);
      evidence.rarityExtrapolated = rarity.extrapolated;
      const described = { ...finding, evidence };
      this.changed.set(id, described);
      const index = this.recent.findIndex((candidate) => candidate.id === id);
      if (index >= 0 && !this.recent[index]!.withdrawn) this.recent[index] = described;
      if (this.latest.get(finding.kind)?.id === id) this.latest.set(finding.kind, described);
    }
    this.toDescribe.clear();
  }

  /** Findings created or changed since the last call. */
  takeChanges(): Finding[] {
    this.settle();
    const changes = [...this.changed.values()];
    this.changed = new Map();
    return changes;
  }
}
