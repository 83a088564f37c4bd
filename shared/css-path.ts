/** How `uniqueSelector` sees a document: the server's parsed pages and the browser's DOM alike. */
export interface DocumentView<N> {
  tag(node: N): string;
  id(node: N): string | undefined;
  classes(node: N): string[];
  /** The parent element, or undefined at the top. */
  parent(node: N): N | undefined;
  /** The node's parent's children of the same tag, the node among them, in order. */
  sameTagSiblings(node: N): N[];
  /** How many elements of the document `selector` picks. */
  count(selector: string): number;
}

const IDENT = /^-?[_a-zA-Z][_a-zA-Z0-9-]*$/;

/** The classes of an element that can be written in a selector. */
export const usableClasses = (classAttribute: string | undefined): string[] =>
  (classAttribute ?? '').split(/\s+/).filter((name) => IDENT.test(name));

/**
 * A CSS selector that picks `node` alone: its id when usable, else its tag and classes when
 * they are unique, else a path of `tag:nth-of-type(n)` steps from the nearest ancestor that
 * can be named so.
 */
export function uniqueSelector<N>(node: N, dom: DocumentView<N>): string {
  const steps: string[] = [];
  for (let current: N | undefined = node; current !== undefined; current = dom.parent(current)) {
    const own = namedSelector(current, dom);
    if (own) {
      steps.unshift(own);
      break;
    }
    steps.unshift(nthOfType(current, dom));
    if (dom.count(steps.join(' > ')) === 1) break;
  }
  return steps.join(' > ');
}

function namedSelector<N>(node: N, dom: DocumentView<N>): string | undefined {
  const id = dom.id(node);
  if (id && IDENT.test(id) && dom.count(`#${id}`) === 1) return `#${id}`;
  const classes = dom.classes(node);
  if (classes.length > 0) {
    const selector = `${dom.tag(node)}.${classes.join('.')}`;
    if (dom.count(selector) === 1) return selector;
  }
  return undefined;
}

function nthOfType<N>(node: N, dom: DocumentView<N>): string {
  const siblings = dom.sameTagSiblings(node);
  return siblings.length <= 1 ? dom.tag(node) : `${dom.tag(node)}:nth-of-type(${siblings.indexOf(node) + 1})`;
}
