import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import { isAbbreviated, normalizeNumberText, numberSpans } from '../locale-number.js';
import { amountFromText, contributorsFromText, type FigureFormat } from '../read-figures.js';
import { SourceFailure } from '../source-failure.js';
import { elementAt, uniqueSelector, type PageText } from './page-text.js';

/** A figure found on a page, with where it was and why it was taken. */
export interface FoundFigure {
  value: number;
  /** The words it was read from, as the page shows them. */
  text: string;
  /** A selector of the element that holds it. */
  selector: string;
  /** Why this number was taken, e.g. `followed by "collectés"`. */
  how: string;
}

export type FigureSearch = { ok: true; figure: FoundFigure } | { ok: false; reason: string };

interface Candidate {
  index: number;
  /** The number and its currency mark, as written. */
  text: string;
  element: Element;
  score: number;
  how: string;
  abbreviated: boolean;
  currency?: string | undefined;
}

/** Currency marks a page writes next to an amount, and the currency each most likely means. */
const CURRENCY_MARKS: ReadonlyArray<readonly [RegExp, string]> = [
  [/€|eur\b|euros?\b/, 'EUR'],
  [/£|gbp\b/, 'GBP'],
  [/chf\b|fr\./, 'CHF'],
  [/us\$|usd\b/, 'USD'],
  [/ca\$|cad\b/, 'CAD'],
  [/\$/, 'USD'],
];

const RAISED_AFTER = /^\s*(?:deja\s+)?((?:collecte|recolte|leve|rassemble|reuni|recu|raised|collected|pledged|donated|contributed)\w*)/;
const RAISED_BEFORE = /(collecte|collectes|recolte|recoltes|deja|raised|collected|pledged|donated|total)\s*[:\-–]?\s*$/;
const WEAK_RAISED_BEFORE = /(montant|cagnotte|amount|total)\s*[:\-–]?\s*$/;
const GOAL_BEFORE = /(\bsur|\bof|objectif|goal|target|\bbut)\s*(?:de\s*)?[:\-–]?\s*$/;
const GOAL_AFTER = /^\s*(goal|objectif|target|d'objectif)/;
const PEOPLE_WORDS =
  'participants?|participantes?|donateurs?|donatrices?|contributeurs?|contributrices?|contributions?|backers?|supporters?|donors?|contributors?|personnes?|people|soutiens?|dons|donations?|gifts?';
const PEOPLE_AFTER = new RegExp(`^\\s*(?:ont\\s+\\w+\\s+)?(${PEOPLE_WORDS})\\b`);
const PEOPLE_BEFORE = new RegExp(`(${PEOPLE_WORDS})\\s*[:\\-–]?\\s*$`);

/** Lower case, without accents, so that "Collectés" and "collectes" read alike. */
function plain(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/** A window of the page text, plain for matching, and as written for quoting. */
interface Window {
  plain: string;
  written: string;
}

const window = (written: string): Window => ({ plain: plain(written.normalize('NFC')), written: written.normalize('NFC') });

/** The text of the line around `index`, and of the line before it. */
function around(text: string, index: number, length: number) {
  const lineStart = text.lastIndexOf('\n', index - 1) + 1;
  const previousStart = lineStart > 0 ? text.lastIndexOf('\n', lineStart - 2) + 1 : lineStart;
  const lineEnd = text.indexOf('\n', index + length);
  return {
    before: window(text.slice(Math.max(lineStart, index - 60), index)),
    previousLine: window(text.slice(Math.max(previousStart, lineStart - 60), Math.max(previousStart, lineStart - 1))),
    after: window(text.slice(index + length, Math.min(lineEnd === -1 ? text.length : lineEnd, index + length + 60))),
  };
}

/** The words a pattern matched in a window, as the page wrote them (accents stripped one for one). */
function matched(pattern: RegExp, text: Window): string | undefined {
  const match = pattern.exec(text.plain);
  if (!match) return undefined;
  const word = match[1]!;
  const at = match.index + match[0].indexOf(word);
  return text.written.length === text.plain.length ? text.written.slice(at, at + word.length) : word;
}

/**
 * The currency mark right before or after a number, and what it reads as; `abbreviated` when
 * a multiplier comes between ("12,3 k€", "1,4 M€").
 */
function currencyNextTo(before: string, after: string) {
  const tail = /(€|eur|euros?|£|gbp|chf|fr\.|us\$|usd|ca\$|cad|\$)\s?$/.exec(before);
  const head = /^\s?(k|m|mio|md)?\s?(€|eur\b|euros?\b|£|gbp\b|chf\b|usd\b|cad\b|\$)/.exec(after);
  const found = head
    ? { mark: head[0], side: 'after' as const, abbreviated: head[1] !== undefined }
    : tail
      ? { mark: tail[0], side: 'before' as const, abbreviated: false }
      : undefined;
  if (!found) return undefined;
  const currency = CURRENCY_MARKS.find(([mark]) => mark.test(found.mark.trim()))?.[1] ?? 'EUR';
  return { ...found, currency };
}

function candidates(page: PageText, isExcluded: (element: Element) => boolean) {
  const normalized = normalizeNumberText(page.text);
  const money: Candidate[] = [];
  const counts: Candidate[] = [];
  for (const span of numberSpans(normalized)) {
    const element = elementAt(page, span.index);
    if (!element || isExcluded(element)) continue;
    const { before, previousLine, after } = around(page.text, span.index, span.text.length);
    if (/^\s?%/.test(after.plain)) continue;
    const currency = currencyNextTo(before.plain, after.plain);
    if (currency) {
      const start = currency.side === 'before' ? span.index - currency.mark.length : span.index;
      const end = span.index + span.text.length + (currency.side === 'after' ? currency.mark.length : 0);
      const afterMark = currency.side === 'after' ? slice(after, currency.mark.length) : after;
      const beforeMark = currency.side === 'before' ? slice(before, 0, before.plain.length - currency.mark.length) : before;
      money.push({
        index: span.index,
        text: page.text.slice(start, end).trim(),
        element,
        abbreviated: currency.abbreviated || isAbbreviated(after.plain),
        currency: currency.currency,
        ...scoreAmount(beforeMark, previousLine, afterMark),
      });
    } else {
      counts.push({
        index: span.index,
        text: span.text.trim(),
        element,
        abbreviated: isAbbreviated(after.plain),
        ...scoreCount(before, previousLine, after),
      });
    }
  }
  return { money, counts };
}

function slice(text: Window, start: number, end?: number): Window {
  return { plain: text.plain.slice(start, end), written: text.written.length === text.plain.length ? text.written.slice(start, end) : text.plain.slice(start, end) };
}

function scoreAmount(before: Window, previousLine: Window, after: Window): { score: number; how: string } {
  if (GOAL_BEFORE.test(before.plain) || GOAL_AFTER.test(after.plain)) return { score: -6, how: 'it is the goal' };
  const raisedAfter = matched(RAISED_AFTER, after);
  if (raisedAfter) return { score: 4, how: `followed by "${raisedAfter}"` };
  const raisedBefore = matched(RAISED_BEFORE, before);
  if (raisedBefore) return { score: 3, how: `after "${raisedBefore}"` };
  if (GOAL_BEFORE.test(previousLine.plain)) return { score: -4, how: 'it is the goal' };
  const labelled = matched(RAISED_BEFORE, previousLine);
  if (labelled) return { score: 2, how: `under "${labelled}"` };
  const weak = matched(WEAK_RAISED_BEFORE, before) ?? matched(WEAK_RAISED_BEFORE, previousLine);
  if (weak) return { score: 1, how: `after "${weak}"` };
  return { score: 0, how: 'the only amount on the page' };
}

function scoreCount(before: Window, previousLine: Window, after: Window): { score: number; how: string } {
  const people = matched(PEOPLE_AFTER, after);
  if (people) return { score: 4, how: `followed by "${people}"` };
  const label = matched(PEOPLE_BEFORE, before);
  if (label) return { score: 3, how: `after "${label}"` };
  const above = matched(PEOPLE_BEFORE, previousLine);
  if (above) return { score: 2, how: `under "${above}"` };
  return { score: 0, how: '' };
}

export interface FigureFinding {
  amount: FigureSearch;
  contributors: FigureSearch;
  /** The currency of the amount's mark (€, $, £…), when it has one. */
  currency?: string;
}

/**
 * Finds the amount raised and the number of contributors on a page the way a reader does:
 * by the words around the numbers, in French or English ("12 345,50 € collectés sur 20 000 €",
 * "1 234 participants", "€12,345 raised of €20,000 goal", "Donors: 1,234"). The goal is never
 * taken for the amount; an abbreviated figure ("12,3 k€") or a page where two numbers could be
 * the total is refused with the reason, rather than guessed.
 */
export function findFigures(
  $: CheerioAPI,
  page: PageText,
  /** The pot's currency, or none yet (a preview): the amount's own mark then says. */
  format: { currency?: string | undefined; locale?: string | undefined },
  /** Elements left out: a list of contributions, whose gifts are not the total. */
  excluded: (element: Element) => boolean = () => false,
): FigureFinding {
  const { money, counts } = candidates(page, excluded);
  const amountPick = pick(
    money.filter((candidate) => candidate.score >= 0),
    'amount',
    'no amount in a currency is written on the page',
    'labelled as raised (collecté, raised…)',
  );
  const currency = amountPick.ok ? amountPick.candidate.currency : undefined;
  const amountFormat: FigureFormat = { locale: format.locale, currency: format.currency ?? currency ?? 'EUR' };
  const amount = amountPick.ok ? read($, amountPick.candidate, (text) => amountFromText(text, amountFormat)) : amountPick;
  const countPick = pick(
    counts.filter((candidate) => candidate.score > 0),
    'contributors',
    'no number of contributors (participants, donateurs, backers, donors…) is written on the page',
    'labelled as contributors',
  );
  const contributors = countPick.ok ? read($, countPick.candidate, contributorsFromText) : countPick;
  return { amount, contributors, ...(currency ? { currency } : {}) };
}

type Pick = { ok: true; candidate: Candidate } | { ok: false; reason: string };

function pick(found: Candidate[], figure: string, none: string, label: string): Pick {
  if (found.length === 0) return { ok: false, reason: none };
  const best = Math.max(...found.map((candidate) => candidate.score));
  const top = found.filter((candidate) => candidate.score === best);
  const distinct = new Set(top.map((candidate) => candidate.text.replace(/\s+/g, ' ')));
  if (distinct.size > 1) {
    const shown = [...distinct].slice(0, 3).map((text) => `"${text}"`).join(', ');
    const reason =
      best === 0
        ? `several ${figure === 'amount' ? 'amounts' : 'numbers'} (${shown}) and none ${label}; give its selector`
        : `several ${figure === 'amount' ? 'amounts' : 'numbers'} are ${label} (${shown}); give its selector`;
    return { ok: false, reason };
  }
  const candidate = top[0]!;
  if (candidate.abbreviated) return { ok: false, reason: `the ${figure} "${candidate.text}" is abbreviated; the full figure is needed` };
  return { ok: true, candidate };
}

function read($: CheerioAPI, candidate: Candidate, parse: (text: string) => number): FigureSearch {
  try {
    const value = parse(candidate.text);
    return { ok: true, figure: { value, text: candidate.text, selector: uniqueSelector($, candidate.element), how: candidate.how } };
  } catch (error) {
    if (error instanceof SourceFailure) return { ok: false, reason: error.message };
    throw error;
  }
}
