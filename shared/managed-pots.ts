import type { PotStatusInfo, Reading } from './types.js';

/** How a page source reads its page: as served, rendered by a browser, or the first that shows the figures. */
export const RENDER_MODES = ['auto', 'static', 'browser'] as const;
export type RenderMode = (typeof RENDER_MODES)[number];

/** Where a pot is defined: the pots file (changed there, not here) or the API. */
export type PotOrigin = 'file' | 'api';

/**
 * A pot's source as an admin sees it: everything but secrets. A webhook's secret is shown
 * once, when it is made; request headers (API tokens) are named, never shown.
 */
export type SourceView = { kind: string; [field: string]: unknown };

/** A pot as the admin pages list and edit it (`GET /api/admin/pots`). */
export interface ManagedPot extends PotStatusInfo {
  id: string;
  title: string;
  currency: string;
  goal?: number;
  platform?: string;
  origin: PotOrigin;
  paused: boolean;
  archived: boolean;
  createdAt: number;
  updatedAt: number | null;
  latest?: Reading;
  source: SourceView;
}

/** `POST /api/pots` and `PATCH /api/pots/:id`: the pot, and a webhook secret made for it, shown this once. */
export interface PotChangeAnswer {
  pot: ManagedPot;
  secret?: string;
}

/** A figure a preview found, and where. */
export interface PreviewFigure {
  /** The figure itself: major units for the amount, a count for contributors. */
  value: number;
  text: string;
  /** A CSS selector (a page) or a JSON Pointer (an API) of where it was read. */
  selector: string;
  how: string;
}

export interface PreviewContribution {
  name?: string;
  amount?: number;
  message?: string;
  at?: number;
}

/** `POST /api/sources/preview`: one poll, nothing stored. */
export interface SourcePreview {
  amount: number;
  contributors: number;
  contributions: PreviewContribution[];
  found: {
    amount: PreviewFigure;
    contributors: PreviewFigure;
    contributions?: { selectors: Record<string, string>; recognised: boolean; items: number };
    /** `server` (the page as served) or `browser` (rendered by headless Chromium); absent for an API. */
    renderedBy?: 'server' | 'browser';
    currency?: string;
  };
  /** The page as it was read, scripts and styles removed, for picking elements by hand. */
  snapshot?: string;
}
