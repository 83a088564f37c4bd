import { uniqueSelector, usableClasses, type DocumentView } from '../../../../shared/css-path.js';

/** What a picked element stands for: one figure, every item of a list, or a part found inside each item. */
export type PickScope = 'single' | 'list-item' | 'within-item';

function view(document: Document): DocumentView<Element> {
  return {
    tag: (node) => node.localName,
    id: (node) => node.id || undefined,
    classes: (node) => usableClasses(node.getAttribute('class') ?? undefined),
    parent: (node) => (node.parentElement && node.parentElement.localName !== 'html' ? node.parentElement : undefined),
    sameTagSiblings: (node) => [...(node.parentElement?.children ?? [])].filter((sibling) => sibling.localName === node.localName),
    count: (selector) => document.querySelectorAll(selector).length,
  };
}

/**
 * The selector for a clicked element. A figure gets a selector that picks it alone; a list
 * item, one that picks it and its siblings alike (same tag and classes); a part of an item, a
 * selector relative to the item (its classes, or its tag).
 */
export function selectorFor(element: Element, scope: PickScope): string {
  const dom = view(element.ownerDocument);
  if (scope === 'single') return uniqueSelector(element, dom);
  const classes = dom.classes(element);
  const own = `${dom.tag(element)}${classes.length ? `.${classes.join('.')}` : ''}`;
  if (scope === 'within-item') return classes.length ? `.${classes.join('.')}` : dom.tag(element);
  const parent = dom.parent(element);
  return parent ? `${uniqueSelector(parent, dom)} > ${own}` : own;
}
