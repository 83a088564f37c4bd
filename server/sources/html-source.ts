import { loadBuffer, type CheerioAPI } from 'cheerio';
import { SECOND } from '../../shared/time.js';
import type { SourceOf } from '../config/pot-config.js';
import { recogniseChallenge } from './challenge-page.js';
import { describeHttpStatus, fetchPage } from './fetch-page.js';
import { startPoller, type PolledFigures } from './poller.js';
import { amountFromText, contributorsFromText, type FigureFormat } from './read-figures.js';
import type { RunningSource, SourceContext } from './source.js';
import { SourceFailure } from './source-failure.js';

/** Polls a pot's web page, for platforms without an API, and reads the figures by CSS selector. */
export function startHtmlSource(context: SourceContext, config: SourceOf<'html'>): RunningSource {
  const format: FigureFormat = { currency: context.pot.currency, locale: config.locale };
  let lastGood: { etag: string | undefined; figures: PolledFigures } | undefined;

  return startPoller(context, {
    everyMs: config.everySeconds * SECOND,
    maxBackoffMs: config.maxBackoffSeconds * SECOND,
    origin: 'html',
    async poll(signal) {
      const page = await fetchPage({
        url: config.url,
        timeoutMs: config.timeoutSeconds * SECOND,
        headers: config.headers,
        userAgent: config.userAgent,
        accept: 'text/html,application/xhtml+xml',
        etag: lastGood?.etag,
        signal,
      });
      if (page.status === 304 && lastGood) return lastGood.figures;
      const challenge = recogniseChallenge(page.body.toString('latin1'), page.headers);
      if (page.status < 200 || page.status >= 300) {
        const status = describeHttpStatus(page.status, config.url);
        throw new SourceFailure(challenge ? `${status}: ${challenge}` : status, page.retryAfterMs);
      }
      if (challenge) throw new SourceFailure(`got ${challenge} instead of the pot page`);
      const $ = loadBuffer(page.body, { encoding: { transportLayerEncodingLabel: charsetOf(page.headers) } });
      const amountText = selectText($, config.amount, 'amount');
      const contributorsText = selectText($, config.contributors, 'contributors');
      const figures = {
        amountMinor: amountFromText(amountText, format),
        contributors: contributorsFromText(contributorsText),
        raw: JSON.stringify({ amount: amountText, contributors: contributorsText }).slice(0, 500),
      };
      lastGood = { etag: page.headers.get('etag') ?? undefined, figures };
      return figures;
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
