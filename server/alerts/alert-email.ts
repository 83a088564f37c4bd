import type { AlertNotice } from '../../shared/alerts.js';
import { escapeMarkup } from '../../shared/escape-markup.js';
import type { Language } from '../../shared/languages.js';
import { NOTICE_LANGUAGES, type NoticeLanguage } from './notice-language.js';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/**
 * An alert's e-mail in the alert's language: the notice's line as subject and first
 * paragraph, then the pot's figures and the link to its page.
 */
export function renderAlertEmail(notice: AlertNotice, lang: Language): RenderedEmail {
  const language = NOTICE_LANGUAGES[lang];
  const { labels } = language.words;
  const rows: Array<[string, string]> = [];
  let link: string | undefined;
  if (notice.event !== 'test') {
    rows.push([labels.pot, `${notice.potTitle} (${notice.potId})`]);
    if (notice.amount !== null) rows.push([labels.raised, language.majorMoney(notice.amount, notice.currency)]);
    if (notice.contributors !== null) rows.push([labels.contributors, language.count(notice.contributors)]);
    if (notice.event === 'suggestion') rows.push([labels.interval, language.interval(notice.suggestion.from, notice.suggestion.to)]);
    if (notice.event === 'flag') rows.push([labels.interval, language.interval(notice.flag.from, notice.flag.to)]);
    link = notice.url;
  }
  rows.push([labels.when, language.when(notice.at)]);
  const text = [notice.text, '', ...rows.map(([label, value]) => language.words.row(label, value)), ...(link ? ['', link] : [])].join('\n');
  const html = [
    `<!doctype html><html lang="${lang}"><body style="font-family: sans-serif">`,
    `<p>${escapeMarkup(notice.text)}</p>`,
    '<table>',
    ...rows.map(([label, value]) => `<tr><th align="left">${escapeMarkup(label)}</th><td>${escapeMarkup(value)}</td></tr>`),
    '</table>',
    ...(link ? [`<p><a href="${escapeMarkup(link)}">${escapeMarkup(link)}</a></p>`] : []),
    '</body></html>',
  ].join('\n');
  return { subject: `${language.words.subject.prefix}${subjectOf(notice, language)}`, text: `${text}\n`, html };
}

function subjectOf(notice: AlertNotice, language: NoticeLanguage): string {
  const { words } = language;
  switch (notice.event) {
    case 'milestone':
      return notice.reached === 'goal'
        ? words.subject.reachedGoal(words.quoted(notice.potTitle))
        : `${words.quoted(notice.potTitle)} ${words.passed(language.majorMoney(notice.milestone, notice.currency))}`;
    case 'suggestion':
      return words.subject.suggestion(words.quoted(notice.potTitle));
    case 'stale':
      return words.subject.stale(words.quoted(notice.potTitle));
    case 'flag':
      return words.subject.flag(words.quoted(notice.potTitle));
    case 'test':
      return words.subject.test;
  }
}
