import type { ManagedPot, RenderMode, SourcePreview } from '../../../../shared/managed-pots.js';

export type FormSourceKind = 'html' | 'http-json' | 'webhook';

/** What the pot form holds, as typed: empty strings are fields left to the server's defaults. */
export interface PotForm {
  kind: FormSourceKind;
  url: string;
  everySeconds: string;
  render: RenderMode;
  amount: string;
  contributors: string;
  listItem: string;
  listName: string;
  listAmount: string;
  listMessage: string;
  id: string;
  title: string;
  currency: string;
  goal: string;
  platform: string;
}

/** The selector fields, in the order the form shows them. */
export const SELECTOR_FIELDS = ['amount', 'contributors', 'listItem', 'listName', 'listAmount', 'listMessage'] as const;
export type SelectorField = (typeof SELECTOR_FIELDS)[number];

export function emptyForm(): PotForm {
  return {
    kind: 'html',
    url: '',
    everySeconds: '60',
    render: 'auto',
    amount: '',
    contributors: '',
    listItem: '',
    listName: '',
    listAmount: '',
    listMessage: '',
    id: '',
    title: '',
    currency: 'EUR',
    goal: '',
    platform: '',
  };
}

const text = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

export function formFromPot(pot: ManagedPot): PotForm {
  const source = pot.source;
  const list = (source.contributions ?? {}) as Record<string, unknown>;
  const kind = (['html', 'http-json', 'webhook'] as const).find((candidate) => candidate === source.kind) ?? 'webhook';
  return {
    ...emptyForm(),
    kind,
    url: text(source.url),
    everySeconds: text(source.everySeconds) || emptyForm().everySeconds,
    render: (source.render as RenderMode | undefined) ?? 'auto',
    amount: text(source.amount),
    contributors: text(source.contributors),
    listItem: text(list.item),
    listName: text(list.name),
    listAmount: text(list.amount),
    listMessage: text(list.message),
    id: pot.id,
    title: pot.title,
    currency: pot.currency,
    goal: pot.goal === undefined ? '' : String(pot.goal),
    platform: pot.platform ?? '',
  };
}

/**
 * The source as the API takes it. `cleared` writes null for an emptied field, so that a change
 * (PATCH) removes a selector and lets the server find the figure by itself again.
 */
export function sourceOf(form: PotForm, cleared = false): Record<string, unknown> {
  const optional = (value: string) => (value.trim() ? value.trim() : cleared ? null : undefined);
  const withoutUndefined = (fields: Record<string, unknown>) => Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  switch (form.kind) {
    case 'webhook':
      return { kind: 'webhook' };
    case 'http-json':
      return withoutUndefined({ kind: 'http-json', url: form.url.trim(), everySeconds: Number(form.everySeconds), amount: form.amount.trim(), contributors: form.contributors.trim() });
    case 'html': {
      const list = form.listItem.trim()
        ? withoutUndefined({ item: form.listItem.trim(), name: optional(form.listName) ?? undefined, amount: optional(form.listAmount) ?? undefined, message: optional(form.listMessage) ?? undefined })
        : cleared
          ? null
          : undefined;
      return withoutUndefined({
        kind: 'html',
        url: form.url.trim(),
        everySeconds: Number(form.everySeconds),
        render: form.render,
        amount: optional(form.amount),
        contributors: optional(form.contributors),
        contributions: list,
      });
    }
  }
}

export function createBody(form: PotForm): Record<string, unknown> {
  return {
    id: form.id.trim(),
    title: form.title.trim(),
    currency: form.currency.trim().toUpperCase(),
    ...(form.goal.trim() ? { goal: Number(form.goal) } : {}),
    ...(form.platform.trim() ? { platform: form.platform.trim() } : {}),
    source: sourceOf(form),
  };
}

export function patchBody(form: PotForm): Record<string, unknown> {
  return {
    title: form.title.trim(),
    goal: form.goal.trim() ? Number(form.goal) : null,
    platform: form.platform.trim() || null,
    ...(form.kind === 'webhook' ? {} : { source: sourceOf(form, true) }),
  };
}

/** What the page itself suggests for the fields still empty: an id from its address, its title, its currency. */
export function suggestFromPreview(form: PotForm, preview: SourcePreview): void {
  if (!form.id) {
    const slug = new URL(form.url).pathname
      .split('/')
      .filter(Boolean)
      .pop()
      ?.toLowerCase()
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 64);
    if (slug && /^[a-z0-9]/.test(slug)) form.id = slug;
  }
  if (!form.title && preview.snapshot) {
    const title = new DOMParser().parseFromString(preview.snapshot, 'text/html').title.trim();
    if (title) form.title = title.slice(0, 200);
  }
  if (preview.found.currency) form.currency = preview.found.currency;
}
