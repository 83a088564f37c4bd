import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';

/** A piece of the text a reader sees, and the element that holds it. */
export interface TextPiece {
  element: Element;
  /** Where the piece starts in `PageText.text`. */
  start: number;
  end: number;
}

/** The visible text of a page, in reading order, as one string with the elements behind it. */
export interface PageText {
  text: string;
  pieces: TextPiece[];
}

const INVISIBLE = new Set(['script', 'style', 'noscript', 'template', 'head', 'title', 'svg', 'iframe', 'select', 'option']);
const BLOCKS = /^(p|div|li|tr|td|th|dt|dd|h[1-6]|section|article|header|footer|br|ul|ol|table|main|aside|nav|figure|figcaption|blockquote)$/;

/**
 * The page's text as a reader sees it: hidden parts left out, each element's text in
 * document order, pieces of different blocks separated by a line break so that a word in
 * one block is not read as qualifying a number of the next.
 */
export function pageText($: CheerioAPI, root: AnyNode = $.root()[0]!): PageText {
  let text = '';
  const pieces: TextPiece[] = [];
  const walk = (node: AnyNode) => {
    if (node.type === 'text') {
      const data = (node as unknown as { data: string }).data;
      if (!data.trim()) {
        if (!text.endsWith(' ') && !text.endsWith('\n')) text += ' ';
        return;
      }
      const element = node.parent as Element;
      pieces.push({ element, start: text.length, end: text.length + data.length });
      text += data;
      return;
    }
    if (node.type !== 'tag' && node.type !== 'root') return;
    const element = node as Element;
    if (node.type === 'tag' && (INVISIBLE.has(element.name) || isHidden(element))) return;
    const block = node.type === 'tag' && BLOCKS.test(element.name);
    if (block && text && !text.endsWith('\n')) text += '\n';
    for (const child of element.children) walk(child);
    if (block && !text.endsWith('\n')) text += '\n';
  };
  walk(root);
  return { text, pieces };
}

function isHidden(element: Element): boolean {
  const { attribs } = element;
  if ('hidden' in attribs || attribs['aria-hidden'] === 'true') return true;
  return /display\s*:\s*none|visibility\s*:\s*hidden/i.test(attribs.style ?? '');
}

/** The element holding the character at `index` of the page text. */
export function elementAt(page: PageText, index: number): Element | undefined {
  let low = 0;
  let high = page.pieces.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const piece = page.pieces[middle]!;
    if (index < piece.start) high = middle - 1;
    else if (index >= piece.end) low = middle + 1;
    else return piece.element;
  }
  return undefined;
}

const IDENT = /^-?[_a-zA-Z][_a-zA-Z0-9-]*$/;

/**
 * A CSS selector that picks `element` alone on the page: its id when it has a usable one,
 * else its classes when they are unique, else a path of `tag:nth-of-type(n)` steps from the
 * nearest ancestor that can be named.
 */
export function uniqueSelector($: CheerioAPI, element: Element): string {
  const steps: string[] = [];
  let current: Element | null = element;
  while (current && current.type === 'tag') {
    const own = namedSelector($, current);
    if (own) {
      steps.unshift(own);
      break;
    }
    steps.unshift(nthOfType(current));
    const selector = steps.join(' > ');
    if ($(selector).length === 1) return selector;
    current = current.parent?.type === 'tag' ? (current.parent as Element) : null;
  }
  return steps.join(' > ');
}

/** `#id` or `tag.class…` when it picks `element` alone. */
function namedSelector($: CheerioAPI, element: Element): string | undefined {
  const id = element.attribs.id;
  if (id && IDENT.test(id) && $(`#${id}`).length === 1) return `#${id}`;
  const classes = classesOf(element);
  if (classes.length > 0) {
    const selector = `${element.name}.${classes.join('.')}`;
    if ($(selector).length === 1) return selector;
  }
  return undefined;
}

function nthOfType(element: Element): string {
  const siblings = (element.parent?.children ?? []).filter(
    (node): node is Element => node.type === 'tag' && (node as Element).name === element.name,
  );
  return siblings.length <= 1 ? element.name : `${element.name}:nth-of-type(${siblings.indexOf(element) + 1})`;
}

/** The element's classes usable in a selector (generated hashes and state classes included: they are what the page has). */
export function classesOf(element: Element): string[] {
  return (element.attribs.class ?? '').split(/\s+/).filter((name) => IDENT.test(name));
}

/** The element's text with its spaces collapsed, as a reader would quote it. */
export function readableText($: CheerioAPI, element: Element): string {
  return $(element).text().replace(/\s+/g, ' ').trim();
}
