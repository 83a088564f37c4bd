import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contrastRatio, TEXT_CONTRAST_MIN } from '../../shared/colour-contrast.js';
import { THEME_COLOURS } from '../../shared/theme-colours.js';

/** Which CSS variable of theme.css each colour the server draws with is. */
const THEME_VARIABLES: Record<keyof (typeof THEME_COLOURS)['light'], string> = {
  surface: '--surface',
  text: '--text',
  muted: '--text-muted',
  amount: '--chart-amount',
  contributors: '--chart-contributors',
  grid: '--chart-grid',
};

const CSS = readFileSync(path.join(import.meta.dirname, '../../client/src/lib/theme.css'), 'utf8');

/** The custom properties declared in the first rule whose selector is exactly `selector`. */
function variables(selector: string): Record<string, string> {
  const start = CSS.indexOf(`${selector} {`);
  if (start < 0) throw new Error(`no rule ${selector} in theme.css`);
  const body = CSS.slice(start, CSS.indexOf('}', start));
  return Object.fromEntries([...body.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((match) => [match[1]!, match[2]!.trim()]));
}

const THEMES = {
  light: variables(':root'),
  dark: variables(":root[data-theme='dark']"),
};

/** Text colours and the backgrounds they are written on. */
const TEXT_ON: Array<[string, string[]]> = [
  ['--text', ['--surface', '--bg']],
  ['--text-muted', ['--surface', '--bg']],
  ['--accent', ['--surface', '--bg']],
  ['--chart-amount', ['--surface', '--bg']],
  ['--chart-contributors', ['--surface', '--bg']],
  ['--live', ['--surface', '--bg']],
  ['--stale', ['--surface', '--bg']],
  ['--paused', ['--surface', '--bg']],
  ['--notice-text', ['--notice-bg']],
  ['--surface', ['--accent']],
];

describe('theme colours', () => {
  it.each(['light', 'dark'] as const)('give every text at least 4.5:1 contrast in the %s theme', (name) => {
    const theme = THEMES[name];
    for (const [text, backgrounds] of TEXT_ON) {
      for (const background of backgrounds) {
        const ratio = contrastRatio(theme[text]!, theme[background]!);
        expect(ratio, `${text} on ${background}`).toBeGreaterThanOrEqual(TEXT_CONTRAST_MIN);
      }
    }
  });

  it('are the same whether dark comes from the reader’s system or from theme=dark', () => {
    expect(variables(":root:not([data-theme='light'])")).toEqual(THEMES.dark);
  });

  it('match what the server draws with', () => {
    for (const name of ['light', 'dark'] as const) {
      for (const [key, variable] of Object.entries(THEME_VARIABLES)) {
        expect(THEME_COLOURS[name][key as keyof typeof THEME_VARIABLES], `${name} ${variable}`).toBe(THEMES[name][variable]);
      }
    }
  });

  it('measures contrast as WCAG does', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });
});
