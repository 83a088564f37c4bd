import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { uniqueSelector as sharedUniqueSelector, usableClasses, type DocumentView } from '../../../shared/css-path.js';

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

/** A CSS selector that picks `element` alone on the page. */
export function uniqueSelector($: CheerioAPI, element: Element): string {
  const view: DocumentView<Element> = {
    tag: (node) => node.name,
    id: (node) => node.attribs.id,
    classes: classesOf,
    parent: (node) => (node.parent?.type === 'tag' ? (node.parent as Element) : undefined),
    sameTagSiblings: (node) =>
      (node.parent?.children ?? []).filter((sibling): sibling is Element => sibling.type === 'tag' && (sibling as Element).name === node.name),
    count: (selector) => $(selector).length,
  };
  return sharedUniqueSelector(element, view);
}

/** The element's classes usable in a selector (generated hashes and state classes included: they are what the page has). */
export const classesOf = (element: Element): string[] => usableClasses(element.attribs.class);

/** The element's text with its spaces collapsed, as a reader would quote it. */
export function readableText($: CheerioAPI, element: Element): string {
  return $(element).text().replace(/\s+/g, ' ').trim();
}
