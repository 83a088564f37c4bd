import type {
  FlagNotice,
  MilestoneNotice,
  NoticePot,
  StaleNotice,
  SuggestionNotice,
  TestNotice,
} from '../../shared/alerts.js';
import type { PublicFlag } from '../../shared/flags.js';
import type { Language } from '../../shared/languages.js';
import { minorToMajor } from '../../shared/money.js';
import type { PotConfig } from '../../shared/pot-config.js';
import { evidenceIn, type Suggestion } from '../../shared/suggestions.js';
import { toIso } from '../../shared/time.js';
import type { PotStatusInfo, Reading } from '../../shared/types.js';
import type { Milestone } from './milestones.js';
import { NOTICE_LANGUAGES, type NoticeLanguage } from './notice-language.js';

/**
 * Writes the notices: the structured fields, the same in every language, and the line people
 * read, in the alert's language.
 */
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

  milestone(lang: Language, pot: PotConfig, milestone: Milestone, reading: Reading): MilestoneNotice {
    const language = NOTICE_LANGUAGES[lang];
    const { words } = language;
    const passed = language.money(milestone.minor, pot.currency);
    const what = milestone.reached === 'goal' ? words.reachedGoalOf(passed) : words.passed(passed);
    return {
      event: 'milestone',
      at: reading.at,
      text: words.milestone(words.quoted(pot.title), what, figures(language, pot, reading)),
      ...this.potFields(pot, reading),
      milestone: minorToMajor(milestone.minor, pot.currency),
      reached: milestone.reached,
    };
  }

  suggestion(lang: Language, pot: PotConfig, suggestion: Suggestion, latest: Reading | undefined, now: number): SuggestionNotice {
    const language = NOTICE_LANGUAGES[lang];
    const { words } = language;
    const { summary, summaryFr } = suggestion.evidence;
    const interval = { from: suggestion.from, to: suggestion.to };
    return {
      event: 'suggestion',
      at: now,
      text: words.suggestion(words.quoted(pot.title), language.kind(suggestion.kind), language.interval(suggestion.from, suggestion.to), evidenceIn(suggestion.evidence, lang)),
      ...this.potFields(pot, latest, interval),
      suggestion: {
        id: suggestion.id,
        kind: suggestion.kind,
        from: suggestion.from,
        to: suggestion.to,
        score: suggestion.score,
        summary,
        ...(summaryFr ? { summaryFr } : {}),
      },
    };
  }

  stale(lang: Language, pot: PotConfig, status: PotStatusInfo, latest: Reading | undefined, now: number): StaleNotice {
    const language = NOTICE_LANGUAGES[lang];
    const { words } = language;
    const last = status.lastReadingAt === null ? '' : words.lastReading(language.when(status.lastReadingAt));
    // Tools read the same reason in every notice, in English like the reasons sources give.
    const reason = status.reason ?? NOTICE_LANGUAGES.en.words.noRecentReading;
    return {
      event: 'stale',
      at: now,
      text: `${words.stale(words.quoted(pot.title), status.reason ?? words.noRecentReading)}${last}`,
      ...this.potFields(pot, latest),
      reason,
      lastReadingAt: status.lastReadingAt,
    };
  }

  flag(lang: Language, pot: PotConfig, flag: PublicFlag, latest: Reading | undefined, now: number): FlagNotice {
    const language = NOTICE_LANGUAGES[lang];
    const { words } = language;
    const interval = { from: flag.from, to: flag.to };
    return {
      event: 'flag',
      at: now,
      text: words.flag(words.quoted(pot.title), language.reason(flag.reason), language.interval(flag.from, flag.to)),
      ...this.potFields(pot, latest, interval),
      flag: { id: flag.id, reason: flag.reason, from: flag.from, to: flag.to },
    };
  }

  test(lang: Language, now: number): TestNotice {
    return { event: 'test', at: now, potId: null, text: NOTICE_LANGUAGES[lang].words.test(this.publicUrl()) };
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

function figures(language: NoticeLanguage, pot: PotConfig, reading: Reading): string {
  const { words } = language;
  const raised = words.figures(language.money(reading.amountMinor, pot.currency), language.contributors(reading.contributors));
  if (!pot.goalMinor) return raised;
  return `${raised}${words.ofGoal(language.percent(reading.amountMinor, pot.goalMinor), language.money(pot.goalMinor, pot.currency))}`;
}
