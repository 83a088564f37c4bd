import type { Logger } from 'pino';
import { DAY } from '../../shared/time.js';
import type { SuggestionEvent } from '../../shared/events.js';
import type { ContributionsRepository } from '../db/contributions-repository.js';
import type { ReadingsRepository } from '../db/readings-repository.js';
import type { SuggestionsRepository } from '../db/suggestions-repository.js';
import type { Finding } from './findings.js';
import { PotDetector } from './pot-detector.js';

export interface DetectionRunnerOptions {
  readings: ReadingsRepository;
  contributions: ContributionsRepository;
  suggestions: SuggestionsRepository;
  pots: ReadonlyArray<{ id: string; currency: string }>;
  logger: Logger;
  /** Hears every stored change, to tell moderators. */
  onChange?: (event: SuggestionEvent) => void;
  /** How much stored history a starting server goes through to relearn each pot's normal. */
  warmUpMs?: number;
}

interface Followed {
  detector: PotDetector;
  /** Newest reading (and contribution time) fed to the detector. */
  lastAt: number;
}

/** Readings read from the database per query, so that a long catch-up never loads everything at once. */
const PAGE = 5000;
const DEFAULT_WARM_UP_MS = 8 * DAY;

/**
 * Runs detection as readings are committed: it reads what is new since it last looked
 * (whoever wrote it: a source, the webhook, an import in another process), feeds each
 * pot's detector and stores what it finds as suggestions. Work per reading is bounded;
 * a failure here is logged and never reaches ingest.
 */
export class DetectionRunner {
  private readonly followed = new Map<string, Followed>();
  private readonly currencies = new Map<string, string>();
  private readonly warmUpMs: number;

  constructor(private readonly options: DetectionRunnerOptions) {
    this.warmUpMs = options.warmUpMs ?? DEFAULT_WARM_UP_MS;
    for (const pot of options.pots) this.currencies.set(pot.id, pot.currency);
  }

  /** Follows a pot added, or one whose currency changed. */
  track(pot: { id: string; currency: string }): void {
    if (this.currencies.get(pot.id) !== pot.currency) this.followed.delete(pot.id);
    this.currencies.set(pot.id, pot.currency);
  }

  /** Stops following an archived pot; its stored suggestions stay. */
  untrack(potId: string): void {
    this.currencies.delete(potId);
    this.followed.delete(potId);
  }

  /** Goes through the recent stored history of every pot. */
  start(): void {
    for (const potId of this.currencies.keys()) this.follow(potId);
  }

  /** Takes in whatever the pot received since the last call. */
  follow(potId: string): void {
    if (!this.currencies.has(potId)) return;
    try {
      this.catchUp(potId);
    } catch (error) {
      this.options.logger.error({ err: error, potId }, 'detection failed; it resumes with the next readings');
      this.followed.delete(potId);
    }
  }

  /** Forgets what was learned of a pot whose history was cleared (a replay starting over); stored suggestions stay. */
  reset(potId: string): void {
    this.followed.delete(potId);
  }

  private catchUp(potId: string): void {
    const { readings, contributions } = this.options;
    let followed = this.followed.get(potId);
    if (!followed) {
      const latest = readings.latest(potId);
      followed = {
        detector: new PotDetector({ currency: this.currencies.get(potId) }),
        lastAt: latest ? latest.at - this.warmUpMs : Number.MIN_SAFE_INTEGER,
      };
      this.followed.set(potId, followed);
    }
    for (;;) {
      const page = readings.range(potId, followed.lastAt + 1, Number.MAX_SAFE_INTEGER, PAGE);
      if (page.length === 0) return;
      const until = page[page.length - 1]!.at;
      const gifts = contributions.between(potId, followed.lastAt, until, Number.MAX_SAFE_INTEGER);
      this.store(potId, followed.detector.push(page, gifts));
      followed.lastAt = until;
      if (page.length < PAGE) return;
    }
  }

  private store(potId: string, findings: readonly Finding[]): void {
    const { suggestions, onChange } = this.options;
    for (const finding of findings) {
      if (finding.withdrawn) {
        for (const removed of suggestions.withdraw(potId, finding.kind, finding.from, finding.to)) {
          onChange?.({ potId, suggestion: { id: removed.id }, removed: true });
        }
        continue;
      }
      const { from, to, kind, score, evidence } = finding;
      const outcome = suggestions.record(potId, { from, to, kind, score, evidence });
      if (outcome.change !== 'none') onChange?.({ potId, suggestion: outcome.suggestion });
    }
  }
}
