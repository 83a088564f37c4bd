import { loadBuffer, type CheerioAPI } from 'cheerio';
import type { SourceOf } from '../../shared/pot-config.js';
import { recogniseChallenge } from './challenge-page.js';
import { startPagePoller } from './page-poller.js';
import { amountFromText, contributorsFromText, type FigureFormat } from './read-figures.js';
import type { RunningSource, SourceContext } from './source.js';
import { SourceFailure } from './source-failure.js';

/** Polls a pot's web page, for platforms without an API, and reads the figures by CSS selector. */
export function startHtmlSource(context: SourceContext, config: SourceOf<'html'>): RunningSource {
  const format: FigureFormat = { currency: context.pot.currency, locale: config.locale };

  return startPagePoller(context, config, {
    origin: 'html',
    accept: 'text/html,application/xhtml+xml',
    // One character per byte, whatever the page's charset: enough to find a challenge page's
    // marks, which are ASCII. The figures are read from the page decoded with its charset.
    text: (body) => body.toString('latin1'),
    read(page, text) {
      const challenge = recogniseChallenge(text, page.headers);
      if (challenge) throw new SourceFailure(`got ${challenge} instead of the pot page`);
      const $ = loadBuffer(page.body, { encoding: { transportLayerEncodingLabel: charsetOf(page.headers) } });
      const amountText = selectText($, config.amount, 'amount');
      const contributorsText = selectText($, config.contributors, 'contributors');
      return {
        amountMinor: amountFromText(amountText, format),
        contributors: contributorsFromText(contributorsText),
        raw: JSON.stringify({ amount: amountText, contributors: contributorsText }).slice(0, 500),
      };
    },
  });
}

/**
 * The text of the element `selector` picks. Several matches are fine when they all say
 * the same (a page often repeats its total); different texts are refused as ambiguous.
 */
function selectText($: CheerioAPI, selector: string, figure: string): string {
  const texts = new Set(
    $(selector)
      .toArray()
      .map((element) => $(element).text().trim()),
  );
  if (texts.size === 0) throw new SourceFailure(`the page has no ${figure}: nothing matches the selector ${selector}`);
  if (texts.size > 1) {
    throw new SourceFailure(`the selector ${selector} picks ${texts.size} different ${figure} texts; it should pick one`);
  }
  return [...texts][0]!;
}

function charsetOf(headers: Headers): string | undefined {
  return /charset=["']?([\w-]+)/i.exec(headers.get('content-type') ?? '')?.[1];
}
