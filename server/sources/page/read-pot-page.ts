import { load, loadBuffer, type CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import type { ContributionSelectors, SourceOf } from '../../../shared/pot-config.js';
import { amountFromText, contributorsFromText } from '../read-figures.js';
import { FiguresMissing, SourceFailure } from '../source-failure.js';
import { readContributionList, recogniseContributionList, type ListedContribution } from './contribution-list.js';
import { findFigures, type FigureSearch, type FoundFigure } from './find-figures.js';
import { pageText, readableText } from './page-text.js';

/** How a page's figures and list were located, for the preview and the logs. */
export interface PageFindings {
  amount: FoundFigure;
  contributors: FoundFigure;
  /** The selectors of the contribution list, given or recognised, and how many items they picked. */
  contributions?: { selectors: ContributionSelectors; recognised: boolean; items: number };
  /** The currency the amount's mark says, when the page writes one. */
  currency?: string;
}

export interface PageReading {
  amountMinor: number;
  contributors: number;
  /** Newest first, as the page lists them. */
  contributions: ListedContribution[];
  found: PageFindings;
}

export type PageSource = Pick<SourceOf<'html'>, 'amount' | 'contributors' | 'contributions' | 'locale'>;

/** A page as fetched (bytes and their charset) or as rendered (text). */
export type PageBody = { bytes: Buffer; charset?: string | undefined } | { html: string };

export function loadPage(body: PageBody): CheerioAPI {
  return 'html' in body ? load(body.html) : loadBuffer(body.bytes, { encoding: { transportLayerEncodingLabel: body.charset } });
}

/**
 * Reads a pot page: the amount and the number of contributors, by the source's selectors or,
 * without them, by the wording around the numbers; and the list of recent contributions, by
 * its selectors or recognised. `currency` absent (a preview before the pot exists) lets the
 * amount's own mark say. Throws a `SourceFailure` saying what could not be read.
 */
export function readPotPage($: CheerioAPI, source: PageSource, currency: string | undefined, now: number): PageReading {
  const list = listOf($, source.contributions);
  const inList = (element: Element) => list !== undefined && isWithin(element, list.root);
  const auto = source.amount && source.contributors ? undefined : findFigures($, pageText($), { currency, locale: source.locale }, inList);
  const pageCurrency = currency ?? auto?.currency ?? 'EUR';
  const amount = source.amount
    ? bySelector($, source.amount, 'amount', (text) => amountFromText(text, { currency: pageCurrency, locale: source.locale }))
    : found(auto!.amount, 'amount');
  const contributors = source.contributors
    ? bySelector($, source.contributors, 'contributors', contributorsFromText)
    : found(auto!.contributors, 'contributors');
  const contributions = list ? readContributionList($, list.selectors, { currency: pageCurrency, locale: source.locale }, now) : [];
  return {
    amountMinor: amount.value,
    contributors: contributors.value,
    contributions,
    found: {
      amount,
      contributors,
      ...(list ? { contributions: { selectors: list.selectors, recognised: list.recognised, items: contributions.length } } : {}),
      ...(auto?.currency ? { currency: auto.currency } : {}),
    },
  };
}

function listOf($: CheerioAPI, configured: PageSource['contributions']) {
  if (configured === false) return undefined;
  if (configured) {
    const items = $(configured.item).toArray() as Element[];
    return { selectors: configured, recognised: false, root: items[0]?.parent as Element | undefined };
  }
  const recognised = recogniseContributionList($);
  return recognised && { ...recognised, recognised: true };
}

function isWithin(element: Element, root: Element | undefined): boolean {
  for (let node: Element | null = element; node && root; node = node.parent as Element | null) if (node === root) return true;
  return false;
}

function found(search: FigureSearch, figure: string): FoundFigure {
  if (!search.ok) throw new FiguresMissing(`the ${figure} was not found on the page: ${search.reason}`);
  return search.figure;
}

/**
 * The figure in the element a selector picks. Several matches are fine when they all say
 * the same (a page often repeats its total); different texts are refused as ambiguous.
 */
function bySelector($: CheerioAPI, selector: string, figure: string, parse: (text: string) => number): FoundFigure {
  const elements = $(selector).toArray() as Element[];
  const texts = new Set(elements.map((element) => readableText($, element)));
  if (texts.size === 0) throw new FiguresMissing(`the page has no ${figure}: nothing matches the selector ${selector}`);
  if (texts.size > 1) {
    throw new SourceFailure(`the selector ${selector} picks ${texts.size} different ${figure} texts; it should pick one`);
  }
  const text = [...texts][0]!;
  return { value: parse(text), text, selector, how: 'the given selector' };
}
