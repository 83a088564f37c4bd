import { i18n } from './i18n.svelte.js';
import { pageTheme } from './page-theme.svelte.js';

/**
 * A chart takes its words and colours when it is built: `rebuild` runs whenever the language or
 * the theme changes after that. Call it while a component initialises.
 */
export function rebuildOnNewLook(rebuild: () => void): void {
  let lang = i18n.lang;
  let theme = pageTheme.revision;
  $effect(() => {
    const nextLang = i18n.lang;
    const nextTheme = pageTheme.revision;
    if (nextLang === lang && nextTheme === theme) return;
    lang = nextLang;
    theme = nextTheme;
    rebuild();
  });
}
