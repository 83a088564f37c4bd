import type { AlertNotice } from '../../shared/alerts.js';
import { escapeMarkup } from '../../shared/escape-markup.js';
import { when } from './alert-notices.js';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** An alert's e-mail: the notice's line as subject and first paragraph, then the pot's figures and the link to its page. */
export function renderAlertEmail(notice: AlertNotice): RenderedEmail {
  const rows: Array<[string, string]> = [];
  let link: string | undefined;
  if (notice.event !== 'test') {
    rows.push(['Pot', `${notice.potTitle} (${notice.potId})`]);
    if (notice.amount !== null) rows.push(['Raised', majorMoney(notice.amount, notice.currency)]);
    if (notice.contributors !== null) rows.push(['Contributors', notice.contributors.toLocaleString('en-GB')]);
    if (notice.event === 'suggestion') rows.push(['Interval', `${when(notice.suggestion.from)} to ${when(notice.suggestion.to)}`]);
    if (notice.event === 'flag') rows.push(['Interval', `${when(notice.flag.from)} to ${when(notice.flag.to)}`]);
    link = notice.url;
  }
  rows.push(['When', when(notice.at)]);
  const text = [notice.text, '', ...rows.map(([label, value]) => `${label}: ${value}`), ...(link ? ['', link] : [])].join('\n');
  const html = [
    '<!doctype html><html><body style="font-family: sans-serif">',
    `<p>${escapeMarkup(notice.text)}</p>`,
    '<table>',
    ...rows.map(([label, value]) => `<tr><th align="left">${escapeMarkup(label)}</th><td>${escapeMarkup(value)}</td></tr>`),
    '</table>',
    ...(link ? [`<p><a href="${escapeMarkup(link)}">${escapeMarkup(link)}</a></p>`] : []),
    '</body></html>',
  ].join('\n');
  return { subject: subjectOf(notice), text: `${text}\n`, html };
}

function subjectOf(notice: AlertNotice): string {
  switch (notice.event) {
    case 'milestone':
      return `Potwatch: “${notice.potTitle}” ${notice.reached === 'goal' ? 'reached its goal' : `passed ${majorMoney(notice.milestone, notice.currency)}`}`;
    case 'suggestion':
      return `Potwatch: new suggestion on “${notice.potTitle}”`;
    case 'stale':
      return `Potwatch: “${notice.potTitle}” is stale`;
    case 'flag':
      return `Potwatch: flag published on “${notice.potTitle}”`;
    case 'test':
      return 'Potwatch: test alert';
  }
}

function majorMoney(amount: number, currency: string): string {
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(amount);
}
