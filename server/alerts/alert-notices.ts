import type {
  FlagNotice,
  MilestoneNotice,
  NoticePot,
  StaleNotice,
  SuggestionNotice,
  TestNotice,
} from '../../shared/alerts.js';
import type { PublicFlag } from '../../shared/flags.js';
import { formatMoney, minorToMajor } from '../../shared/money.js';
import type { PotConfig } from '../../shared/pot-config.js';
import type { Suggestion } from '../../shared/suggestions.js';
import { toIso } from '../../shared/time.js';
import type { PotStatusInfo, Reading } from '../../shared/types.js';
import type { Milestone } from './milestones.js';

/** Notices speak English, with UTC times: they go to chats and mailboxes whose readers' zones are unknown. */
const LOCALE = 'en-GB';
const dateTime = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

export const when = (at: number): string => `${dateTime.format(at)} UTC`;
const money = (minor: number, currency: string): string => formatMoney(minor, currency, LOCALE);
const counts = new Intl.NumberFormat(LOCALE);
const count = (value: number): string => counts.format(value);

/** Writes the notices: the structured fields and the line people read, from what happened. */
export class AlertNotices {
  /** `publicUrl`: where readers reach this server (POTWATCH_PUBLIC_URL), for the links. */
  constructor(private readonly publicUrl: () => string) {}

  /** The pot's page, showing the interval when there is one. */
  potUrl(potId: string, interval?: { from: number; to: number }): string {
    const url = new URL(`/pots/${encodeURIComponent(potId)}`, this.publicUrl());
    if (interval) {
      url.searchParams.set('from', toIso(interval.from));
      url.searchParams.set('to', toIso(interval.to));
    }
    return url.href;
  }

  milestone(pot: PotConfig, milestone: Milestone, reading: Reading): MilestoneNotice {
    const passed = money(milestone.minor, pot.currency);
    const what = milestone.reached === 'goal' ? `reached its goal of ${passed}` : `passed ${passed}`;
    return {
      event: 'milestone',
      at: reading.at,
      text: `“${pot.title}” ${what}: ${figures(pot, reading)}.`,
      ...this.potFields(pot, reading),
      milestone: minorToMajor(milestone.minor, pot.currency),
      reached: milestone.reached,
    };
  }

  suggestion(pot: PotConfig, suggestion: Suggestion, latest: Reading | undefined, now: number): SuggestionNotice {
    const interval = { from: suggestion.from, to: suggestion.to };
    return {
      event: 'suggestion',
      at: now,
      text: `New suggestion on “${pot.title}” (${suggestion.kind}, ${when(suggestion.from)} to ${when(suggestion.to)}): ${suggestion.evidence.summary}`,
      ...this.potFields(pot, latest, interval),
      suggestion: {
        id: suggestion.id,
        kind: suggestion.kind,
        from: suggestion.from,
        to: suggestion.to,
        score: suggestion.score,
        summary: suggestion.evidence.summary,
      },
    };
  }

  stale(pot: PotConfig, status: PotStatusInfo, latest: Reading | undefined, now: number): StaleNotice {
    const reason = status.reason ?? 'no new reading recently';
    const last = status.lastReadingAt === null ? '' : ` Last reading: ${when(status.lastReadingAt)}.`;
    return {
      event: 'stale',
      at: now,
      text: `“${pot.title}” is stale: ${reason}.${last}`,
      ...this.potFields(pot, latest),
      reason,
      lastReadingAt: status.lastReadingAt,
    };
  }

  flag(pot: PotConfig, flag: PublicFlag, latest: Reading | undefined, now: number): FlagNotice {
    const interval = { from: flag.from, to: flag.to };
    return {
      event: 'flag',
      at: now,
      text: `Flag published on “${pot.title}” (${flag.reason.replaceAll('_', ' ')}, ${when(flag.from)} to ${when(flag.to)}).`,
      ...this.potFields(pot, latest, interval),
      flag: { id: flag.id, reason: flag.reason, from: flag.from, to: flag.to },
    };
  }

  test(now: number): TestNotice {
    return { event: 'test', at: now, potId: null, text: `Test alert from Potwatch (${this.publicUrl()}): this target receives its alerts.` };
  }

  private potFields(pot: PotConfig, reading: Reading | undefined, interval?: { from: number; to: number }): NoticePot {
    return {
      potId: pot.id,
      potTitle: pot.title,
      currency: pot.currency,
      url: this.potUrl(pot.id, interval),
      amount: reading ? minorToMajor(reading.amountMinor, pot.currency) : null,
      contributors: reading ? reading.contributors : null,
    };
  }
}

function figures(pot: PotConfig, reading: Reading): string {
  const goal = pot.goalMinor ? ` (${Math.floor((reading.amountMinor / pot.goalMinor) * 100)}% of ${money(pot.goalMinor, pot.currency)})` : '';
  return `${money(reading.amountMinor, pot.currency)} from ${count(reading.contributors)} contributors${goal}`;
}
