import type { EmbedTheme } from '../../../shared/embed-options.js';

/**
 * The page's colour scheme: the reader's setting (`auto`) or one asked for. Charts read their
 * colours from the theme's variables when they are built, so they rebuild when `revision` moves.
 */
class PageTheme {
  revision = $state(0);
}

export const pageTheme = new PageTheme();

export function setPageTheme(theme: EmbedTheme): void {
  const root = document.documentElement;
  if (theme === 'auto') {
    delete root.dataset.theme;
    root.style.colorScheme = '';
  } else {
    root.dataset.theme = theme;
    root.style.colorScheme = theme;
  }
  pageTheme.revision++;
}

if (typeof window !== 'undefined' && typeof window.matchMedia === 'function') {
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => pageTheme.revision++);
}
