/**
 * The main colours of client/src/lib/theme.css, for what cannot read CSS: the server's SVG
 * chart and the contrast check of a newsroom's accent colour. A test keeps them equal.
 */
export const THEME_COLOURS = {
  light: { surface: '#ffffff', text: '#16181d', muted: '#4b5160', amount: '#1d4ed8', contributors: '#b93d0b', grid: '#8b909a33' },
  dark: { surface: '#1a1d24', text: '#eceef2', muted: '#a9afbd', amount: '#7aa2ff', contributors: '#ff9a5c', grid: '#8b909a2e' },
} as const;

export type ThemeName = keyof typeof THEME_COLOURS;
