import type { EmbedLanguage } from '../../shared/embed-options.js';
import { escapeMarkup } from '../../shared/escape-markup.js';
import type { PotSummary } from '../../shared/types.js';
import { chartWords } from './chart-svg.js';

/** Size of the image social networks show for a link (the chart image's default). */
export const CARD_IMAGE = { width: 1200, height: 630 };

/**
 * The `<meta>` tags that make a link to a pot show its current curve when pasted in a social
 * network or a chat: Open Graph and Twitter cards, the image being the chart's PNG.
 */
export function shareCardTags(pot: PotSummary, page: { origin: string; url: string; lang: EmbedLanguage }): string {
  const words = chartWords(page.lang, pot.currency, 'UTC');
  const description = pot.latest
    ? words.say('summary', { title: pot.title, amount: words.money(pot.latest.amountMinor), contributors: words.count(pot.latest.contributors) })
    : pot.title;
  const image = `${page.origin}/embed/${encodeURIComponent(pot.id)}/chart.png?lang=${page.lang}`;
  const tags: Array<[string, string, string]> = [
    ['property', 'og:type', 'website'],
    ['property', 'og:site_name', 'Potwatch'],
    ['property', 'og:title', pot.title],
    ['property', 'og:description', description],
    ['property', 'og:url', page.url],
    ['property', 'og:image', image],
    ['property', 'og:image:width', String(CARD_IMAGE.width)],
    ['property', 'og:image:height', String(CARD_IMAGE.height)],
    ['property', 'og:image:alt', description],
    ['name', 'twitter:card', 'summary_large_image'],
    ['name', 'twitter:title', pot.title],
    ['name', 'twitter:description', description],
    ['name', 'twitter:image', image],
    ['name', 'description', description],
  ];
  return tags.map(([attribute, name, content]) => `<meta ${attribute}="${name}" content="${escapeMarkup(content)}" />`).join('\n    ');
}
