export type Route =
  | { page: 'list' }
  | { page: 'pot'; potId: string }
  /** `/compare?pots=a,b&align=&metric=`: its options are in the query. */
  | { page: 'compare' }
  /** `/admin/<section>[/<item>]`, e.g. `/admin/pots/new`, `/admin/pots/<id>`. */
  | { page: 'admin'; section: string; item?: string }
  | { page: 'not-found' };

function parse(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'list' };
  const pot = /^\/pots\/([a-z0-9][a-z0-9-]{0,63})\/?$/.exec(pathname);
  if (pot) return { page: 'pot', potId: pot[1]! };
  if (pathname === '/compare') return { page: 'compare' };
  const admin = /^\/admin(?:\/([a-z-]{1,32})(?:\/([a-z0-9][a-z0-9-]{0,63}))?)?\/?$/.exec(pathname);
  if (admin) return { page: 'admin', section: admin[1] ?? 'pots', ...(admin[2] ? { item: admin[2] } : {}) };
  return { page: 'not-found' };
}

export const router = $state({ route: parse(location.pathname) });

addEventListener('popstate', () => {
  router.route = parse(location.pathname);
});

export function navigate(path: string): void {
  if (path === location.pathname + location.search) return;
  history.pushState(null, '', path);
  router.route = parse(location.pathname);
  scrollTo(0, 0);
}

/** Handles a click on an in-app link without reloading, leaving modified clicks to the browser. */
export function followLink(event: MouseEvent): void {
  const anchor = event.currentTarget as HTMLAnchorElement;
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(anchor.pathname + anchor.search);
}
