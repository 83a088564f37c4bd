import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import type { ContributionSelectors } from '../../../shared/pot-config.js';
import { DAY, HOUR, MINUTE, SECOND } from '../../../shared/time.js';
import { amountFromText, type FigureFormat } from '../read-figures.js';
import { SourceFailure } from '../source-failure.js';
import { classesOf, readableText, uniqueSelector } from './page-text.js';

/** One contribution as a page lists it: every part optional, as pages differ. */
export interface ListedContribution {
  name?: string;
  amountMinor?: number;
  message?: string;
  /** When the page says it was made (absolute, or "il y a 5 min" read against the poll time). */
  at?: number;
}

const MAX_ITEMS = 200;
const MONEY = /(€|\$|£|\beur\b|\busd\b|\bgbp\b|\bchf\b)/i;
const MIN_ITEMS = 3;

/** Reads the list with the given selectors; the page's order (newest first, as pages show them) is kept. */
export function readContributionList(
  $: CheerioAPI,
  selectors: ContributionSelectors,
  format: FigureFormat,
  now: number,
): ListedContribution[] {
  const items = $(selectors.item).toArray().slice(0, MAX_ITEMS);
  const listed: ListedContribution[] = [];
  for (const item of items) {
    const part = (selector: string | undefined) => {
      if (!selector) return undefined;
      const found = $(item).find(selector).first();
      return found.length ? (found[0] as Element) : undefined;
    };
    const nameElement = part(selectors.name);
    const amountElement = part(selectors.amount);
    const messageElement = part(selectors.message);
    const atElement = part(selectors.at);
    const contribution: ListedContribution = {};
    const name = nameElement && clip(readableText($, nameElement), 200);
    if (name) contribution.name = name;
    const amountText = amountElement ? readableText($, amountElement) : selectors.amount ? undefined : moneyIn(readableText($, item as Element));
    const amountMinor = amountText === undefined ? undefined : readAmount(amountText, format);
    if (amountMinor !== undefined) contribution.amountMinor = amountMinor;
    const message = messageElement && clip(readableText($, messageElement), 2000);
    if (message) contribution.message = message;
    const at = atElement && contributionTime(atElement.attribs.datetime ?? atElement.attribs.title ?? readableText($, atElement), now);
    if (at !== undefined) contribution.at = at;
    if (contribution.name !== undefined || contribution.amountMinor !== undefined || contribution.message !== undefined) {
      listed.push(contribution);
    }
  }
  return listed;
}

/**
 * Looks for a list of contributions on the page: the largest run of three or more sibling
 * elements alike in tag and classes, most of which show an amount of money. Within an item,
 * the part with the amount, the part with a time, the shortest other text (the name) and the
 * longest (the message) give the selectors, which the preview shows and an admin may change.
 */
export function recogniseContributionList($: CheerioAPI): { selectors: ContributionSelectors; root: Element } | undefined {
  let best: { score: number; parent: Element; members: Element[] } | undefined;
  for (const parent of $('body *').toArray() as Element[]) {
    const children = parent.children.filter((node): node is Element => node.type === 'tag');
    if (children.length < MIN_ITEMS) continue;
    const groups = new Map<string, Element[]>();
    for (const child of children) {
      const signature = `${child.name}.${classesOf(child).sort().join('.')}`;
      groups.set(signature, [...(groups.get(signature) ?? []), child]);
    }
    for (const members of groups.values()) {
      if (members.length < MIN_ITEMS) continue;
      const withMoney = members.filter((member) => MONEY.test(readableText($, member))).length;
      if (withMoney < MIN_ITEMS || withMoney < members.length * 0.6) continue;
      if (!best || withMoney > best.score) best = { score: withMoney, parent, members };
    }
  }
  if (!best) return undefined;
  const first = best.members[0]!;
  const classes = classesOf(first);
  const item = `${uniqueSelector($, best.parent)} > ${first.name}${classes.length ? `.${classes.join('.')}` : ''}`;
  return { selectors: { item, ...partSelectors($, best.members) }, root: best.parent };
}

/** The selectors of an item's parts, judged over the items they are common to. */
function partSelectors($: CheerioAPI, members: Element[]): Omit<ContributionSelectors, 'item'> {
  const parts = new Map<string, string[]>();
  for (const member of members.slice(0, 20)) {
    const seen = new Set<string>();
    for (const element of $(member).find('*').toArray() as Element[]) {
      const ownText = element.children.some((node) => node.type === 'text' && (node as unknown as { data: string }).data.trim());
      if (!ownText) continue;
      const classes = classesOf(element);
      const selector = classes.length ? `.${classes.join('.')}` : element.name;
      if (seen.has(selector)) continue;
      seen.add(selector);
      parts.set(selector, [...(parts.get(selector) ?? []), readableText($, element)]);
    }
  }
  // Names and amounts are on nearly every item; a message only on some.
  const common = [...parts].filter(([, texts]) => texts.length >= Math.max(2, Math.min(members.length, 20) * 0.3));
  const selectors: Omit<ContributionSelectors, 'item'> = {};
  const texts: Array<{ selector: string; items: number; length: number }> = [];
  for (const [selector, found] of common) {
    if (!selectors.amount && found.every((text) => MONEY.test(text) && /\d/.test(text))) selectors.amount = selector;
    else if (!selectors.at && found.every((text) => contributionTime(text, 0) !== undefined)) selectors.at = selector;
    else texts.push({ selector, items: found.length, length: found.reduce((sum, text) => sum + text.length, 0) / found.length });
  }
  // The name is on (nearly) every item and short; a message is the longest of the other texts.
  texts.sort((a, b) => b.items - a.items || a.length - b.length);
  const [name, ...others] = texts;
  if (name) selectors.name = name.selector;
  const message = others.sort((a, b) => b.length - a.length)[0];
  if (message) selectors.message = message.selector;
  return selectors;
}

function moneyIn(text: string): string | undefined {
  const match = /(?:[€$£]\s?)?\d[\d\s.,'\u00a0\u202f]*(?:\s?(?:€|eur|\$|£|chf))?/i.exec(text);
  return match && MONEY.test(match[0]) ? match[0] : undefined;
}

function readAmount(text: string, format: FigureFormat): number | undefined {
  try {
    return amountFromText(text, format);
  } catch (error) {
    if (error instanceof SourceFailure) return undefined;
    throw error;
  }
}

function clip(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) : text;
}

const UNITS: ReadonlyArray<readonly [RegExp, number]> = [
  [/^s(ec(onde?s?)?)?$|^seconds?$/, SECOND],
  [/^m(in(ute)?s?)?$|^minutes?$/, MINUTE],
  [/^h(eures?|ours?|rs?)?$/, HOUR],
  [/^(j(ours?)?|d(ays?)?)$/, DAY],
];

/**
 * When a page says a contribution was made: an ISO date (a `datetime` attribute), or words
 * read against `now` ("à l'instant", "il y a 5 min", "2 hours ago", "hier", "yesterday").
 */
export function contributionTime(text: string, now: number): number | undefined {
  const trimmed = text.trim();
  if (/^\d{4}-\d{2}-\d{2}T/.test(trimmed)) {
    const at = Date.parse(trimmed);
    return Number.isFinite(at) ? at : undefined;
  }
  const words = trimmed
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  if (/^(a l'instant|just now|maintenant|now)$/.test(words)) return now;
  if (/^(hier|yesterday)$/.test(words)) return now - DAY;
  const relative = /^(?:il y a|depuis)?\s*(\d{1,4}|une?|an?)\s*([a-z]+)\.?\s*(?:ago)?$/.exec(words);
  if (!relative) return undefined;
  const count = /^\d/.test(relative[1]!) ? Number(relative[1]) : 1;
  const unit = UNITS.find(([pattern]) => pattern.test(relative[2]!));
  if (!unit || (!/^il y a|^depuis|ago$/.test(words))) return undefined;
  return now - count * unit[1];
}
