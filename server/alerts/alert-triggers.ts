import type { AlertEvent, AlertNotice } from '../../shared/alerts.js';
import type { PublicFlag } from '../../shared/flags.js';
import type { Language } from '../../shared/languages.js';
import { majorToMinor } from '../../shared/money.js';
import type { PotConfig } from '../../shared/pot-config.js';
import type { Suggestion } from '../../shared/suggestions.js';
import { MINUTE } from '../../shared/time.js';
import type { PotStatus, PotStatusInfo, Reading } from '../../shared/types.js';
import type { AlertsRepository } from '../db/alerts-repository.js';
import type { Database } from '../db/database.js';
import { transaction } from '../db/transaction.js';
import type { Outbox } from '../outbox/outbox.js';
import type { AlertNotices } from './alert-notices.js';
import { milestonesPassed } from './milestones.js';

/** The outbox channel of alerts, and the queue of one alert's deliveries. */
export const ALERT_CHANNEL = 'alert';
export const alertTargetKey = (alertId: number): string => `${ALERT_CHANNEL}:${alertId}`;

/** A source that flaps between live and stale would ring a phone at every flap: once per pot in this time. */
const STALE_REPEAT_MS = 15 * MINUTE;

export interface AlertTriggerDependencies {
  db: Database;
  alerts: AlertsRepository;
  outbox: Outbox;
  notices: AlertNotices;
  pot(potId: string): PotConfig | undefined;
  latest(potId: string): Reading | undefined;
  now: () => number;
}

/**
 * Turns what happens to pots into alert deliveries in the outbox. Each method but
 * `statusChanged` is called inside the transaction that writes the event itself (readings,
 * a suggestion, a flag), so that an alert is queued exactly when its cause is committed.
 */
export class AlertTriggers {
  private readonly staleAnnounced = new Map<string, number>();

  constructor(private readonly deps: AlertTriggerDependencies) {}

  /**
   * Readings were stored (`before` was the pot's newest reading until then): each milestone
   * an alert has not seen passed yet fires once, however many one batch jumps over. A pot's
   * history cleared and replayed from zero climbs below the alert's mark, and fires nothing.
   */
  readingsStored(potId: string, before: Reading | undefined, inserted: readonly Reading[]): void {
    if (inserted.length === 0) return;
    const watchers = this.deps.alerts.milestoneWatchers(potId);
    const pot = this.deps.pot(potId);
    if (watchers.length === 0 || !pot) return;
    const inOrder = [...inserted].sort((a, b) => a.at - b.at);
    const top = Math.max(...inOrder.map((reading) => reading.amountMinor));
    // Alerts with the same step pass the same milestones: each is written once per language.
    const noticesOf = new Map<number, (lang: Language) => AlertNotice>();
    for (const watcher of watchers) {
      const mark = watcher.mark ?? before?.amountMinor ?? 0;
      if (top <= mark) continue;
      for (const milestone of milestonesPassed(mark, top, stepOf(watcher.milestoneEvery, pot), pot.goalMinor)) {
        let noticeIn = noticesOf.get(milestone.minor);
        if (!noticeIn) {
          const reading = inOrder.find((candidate) => candidate.amountMinor >= milestone.minor)!;
          noticeIn = oncePerLanguage((lang) => this.deps.notices.milestone(lang, pot, milestone, reading));
          noticesOf.set(milestone.minor, noticeIn);
        }
        this.queue(watcher.alertId, noticeIn(watcher.lang));
      }
      this.deps.alerts.raiseMilestoneMark(watcher.alertId, potId, top);
    }
  }

  /** A suggestion was stored for the first time. */
  suggestionCreated(suggestion: Suggestion): void {
    this.tell('suggestion', suggestion.potId, (lang, pot, latest, now) => this.deps.notices.suggestion(lang, pot, suggestion, latest, now));
  }

  /** A flag became public: created published, or published later. */
  flagPublished(flag: PublicFlag): void {
    this.tell('flag', flag.potId, (lang, pot, latest, now) => this.deps.notices.flag(lang, pot, flag, latest, now));
  }

  /**
   * A pot's status changed. A live pot that turns stale (its source fails, its figures are
   * held by the guard, or readings stop) is announced, in a transaction of its own: the
   * status itself is not stored. A pot that has never had a reading, or comes back from a
   * pause, is not: nothing went wrong.
   */
  statusChanged(potId: string, previous: PotStatus | undefined, status: PotStatusInfo): void {
    if (previous !== 'live' || status.status !== 'stale' || status.lastReadingAt === null) return;
    const now = this.deps.now();
    const announced = this.staleAnnounced.get(potId);
    if (announced !== undefined && now - announced < STALE_REPEAT_MS) return;
    this.staleAnnounced.set(potId, now);
    transaction(this.deps.db, () => this.tell('stale', potId, (lang, pot, latest) => this.deps.notices.stale(lang, pot, status, latest, now)));
  }

  /** Queues the event's notice to each alert that wants it, with the same figures and time in every language. */
  private tell(event: AlertEvent, potId: string, notice: (lang: Language, pot: PotConfig, latest: Reading | undefined, now: number) => AlertNotice): void {
    const alerts = this.deps.alerts.subscribedTo(event, potId);
    const pot = this.deps.pot(potId);
    if (alerts.length === 0 || !pot) return;
    const latest = this.deps.latest(potId);
    const now = this.deps.now();
    const noticeIn = oncePerLanguage((lang) => notice(lang, pot, latest, now));
    for (const alert of alerts) this.queue(alert.id, noticeIn(alert.lang));
  }

  private queue(alertId: number, notice: AlertNotice): void {
    this.deps.outbox.add({ channel: ALERT_CHANNEL, targetKey: alertTargetKey(alertId), event: notice.event, payload: notice });
  }
}

/** An event's notice in each language, written when the first alert in that language asks for it: never for a language no alert uses. */
function oncePerLanguage(write: (lang: Language) => AlertNotice): (lang: Language) => AlertNotice {
  const written = new Map<Language, AlertNotice>();
  return (lang) => {
    let notice = written.get(lang);
    if (!notice) {
      notice = write(lang);
      written.set(lang, notice);
    }
    return notice;
  };
}

/** An alert's step between milestones in the pot's currency, if it has one. */
function stepOf(milestoneEvery: number | null, pot: PotConfig): number | undefined {
  if (milestoneEvery === null) return undefined;
  const step = majorToMinor(milestoneEvery, pot.currency, { round: true });
  return step.ok && step.minor > 0 ? step.minor : undefined;
}
