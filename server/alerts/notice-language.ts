import { FLAG_REASON_NAMES, type FlagReason } from '../../shared/flags.js';
import type { Language } from '../../shared/languages.js';
import { formatMoney, minorDigits } from '../../shared/money.js';
import { SUGGESTION_KIND_NAMES, type SuggestionKind } from '../../shared/suggestions.js';

/**
 * What notices and alert e-mails say in one language. Sentences take their values already
 * formatted (amounts, dates, names), so that only words and word order differ.
 */
interface NoticeWords {
  /** Of figures and dates; times stay in UTC: chats and mailboxes have readers in unknown zones. */
  locale: string;
  quoted(title: string): string;
  contributors: { one: string; other: string };
  passed(amount: string): string;
  reachedGoalOf(goal: string): string;
  milestone(pot: string, what: string, figures: string): string;
  figures(amount: string, contributors: string): string;
  ofGoal(percent: string, goal: string): string;
  suggestion(pot: string, kind: string, interval: string, evidence: string): string;
  interval(from: string, to: string): string;
  stale(pot: string, reason: string): string;
  /** Why a pot is stale when its source gave no reason. */
  noRecentReading: string;
  lastReading(at: string): string;
  flag(pot: string, reason: string, interval: string): string;
  test(serverUrl: string): string;
  subject: {
    prefix: string;
    reachedGoal(pot: string): string;
    suggestion(pot: string): string;
    stale(pot: string): string;
    flag(pot: string): string;
    test: string;
  };
  labels: { pot: string; raised: string; contributors: string; interval: string; when: string };
  /** A line of the e-mail's plain text. */
  row(label: string, value: string): string;
}

const en: NoticeWords = {
  locale: 'en-GB',
  quoted: (title) => `“${title}”`,
  contributors: { one: 'contributor', other: 'contributors' },
  passed: (amount) => `passed ${amount}`,
  reachedGoalOf: (goal) => `reached its goal of ${goal}`,
  milestone: (pot, what, figures) => `${pot} ${what}: ${figures}.`,
  figures: (amount, contributors) => `${amount} from ${contributors}`,
  ofGoal: (percent, goal) => ` (${percent} of ${goal})`,
  suggestion: (pot, kind, interval, evidence) => `New suggestion on ${pot} (${kind}, ${interval}): ${evidence}`,
  interval: (from, to) => `${from} to ${to}`,
  stale: (pot, reason) => `${pot} is stale: ${reason}.`,
  noRecentReading: 'no new reading recently',
  lastReading: (at) => ` Last reading: ${at}.`,
  flag: (pot, reason, interval) => `Flag published on ${pot} (${reason}, ${interval}).`,
  test: (serverUrl) => `Test alert from Potwatch (${serverUrl}): this target receives its alerts.`,
  subject: {
    prefix: 'Potwatch: ',
    reachedGoal: (pot) => `${pot} reached its goal`,
    suggestion: (pot) => `new suggestion on ${pot}`,
    stale: (pot) => `${pot} is stale`,
    flag: (pot) => `flag published on ${pot}`,
    test: 'test alert',
  },
  labels: { pot: 'Pot', raised: 'Raised', contributors: 'Contributors', interval: 'Interval', when: 'When' },
  row: (label, value) => `${label}: ${value}`,
};

const fr: NoticeWords = {
  locale: 'fr-FR',
  quoted: (title) => `« ${title} »`,
  contributors: { one: 'participant', other: 'participants' },
  passed: (amount) => `a dépassé ${amount}`,
  reachedGoalOf: (goal) => `a atteint son objectif de ${goal}`,
  milestone: (pot, what, figures) => `${pot} ${what} : ${figures}.`,
  figures: (amount, contributors) => `${amount} collectés auprès de ${contributors}`,
  ofGoal: (percent, goal) => ` (${percent} de l’objectif de ${goal})`,
  suggestion: (pot, kind, interval, evidence) => `Nouvelle suggestion sur ${pot} (${kind}, ${interval}) : ${evidence}`,
  interval: (from, to) => `du ${from} au ${to}`,
  stale: (pot, reason) => `${pot} n’est plus à jour : ${reason}.`,
  noRecentReading: 'aucun nouveau relevé récemment',
  lastReading: (at) => ` Dernier relevé : ${at}.`,
  flag: (pot, reason, interval) => `Signalement publié sur ${pot} (${reason}, ${interval}).`,
  test: (serverUrl) => `Alerte de test de Potwatch (${serverUrl}) : ce destinataire reçoit bien ses alertes.`,
  subject: {
    prefix: 'Potwatch : ',
    reachedGoal: (pot) => `${pot} a atteint son objectif`,
    suggestion: (pot) => `nouvelle suggestion sur ${pot}`,
    stale: (pot) => `${pot} n’est plus à jour`,
    flag: (pot) => `signalement publié sur ${pot}`,
    test: 'alerte de test',
  },
  labels: { pot: 'Cagnotte', raised: 'Collecté', contributors: 'Participants', interval: 'Intervalle', when: 'Date' },
  row: (label, value) => `${label} : ${value}`,
};

/** One language's words with its number, money and date formats. */
export class NoticeLanguage {
  private readonly dateTime: Intl.DateTimeFormat;
  private readonly counts: Intl.NumberFormat;
  private readonly percents: Intl.NumberFormat;
  private readonly plurals: Intl.PluralRules;

  constructor(
    readonly lang: Language,
    readonly words: NoticeWords,
  ) {
    this.dateTime = new Intl.DateTimeFormat(words.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
    this.counts = new Intl.NumberFormat(words.locale);
    this.percents = new Intl.NumberFormat(words.locale, { style: 'percent', maximumFractionDigits: 0 });
    this.plurals = new Intl.PluralRules(words.locale);
  }

  when(at: number): string {
    return `${this.dateTime.format(at)} UTC`;
  }

  interval(from: number, to: number): string {
    return this.words.interval(this.when(from), this.when(to));
  }

  money(minor: number, currency: string): string {
    return formatMoney(minor, currency, this.words.locale);
  }

  /** An amount in major units, as notices carry them. */
  majorMoney(amount: number, currency: string): string {
    return this.money(Math.round(amount * 10 ** minorDigits(currency)), currency);
  }

  count(value: number): string {
    return this.counts.format(value);
  }

  /** "7 contributors", "1 participant". */
  contributors(value: number): string {
    return `${this.count(value)} ${this.words.contributors[this.plurals.select(value) === 'one' ? 'one' : 'other']}`;
  }

  /** Whole percents, rounded down: a pot at 99.6% has not reached its goal. */
  percent(part: number, whole: number): string {
    return this.percents.format(Math.floor((part / whole) * 100) / 100);
  }

  kind(kind: SuggestionKind): string {
    return this.inSentence(SUGGESTION_KIND_NAMES[this.lang][kind]);
  }

  reason(reason: FlagReason): string {
    return this.inSentence(FLAG_REASON_NAMES[this.lang][reason]);
  }

  /** A name made to start a list item on the dashboard, lowercased to sit inside a sentence. */
  private inSentence(name: string): string {
    return name.charAt(0).toLocaleLowerCase(this.words.locale) + name.slice(1);
  }
}

export const NOTICE_LANGUAGES: Record<Language, NoticeLanguage> = {
  en: new NoticeLanguage('en', en),
  fr: new NoticeLanguage('fr', fr),
};
