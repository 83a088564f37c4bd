import { SECOND } from '../../shared/time.js';
import type { SourceOf } from '../config/pot-config.js';
import { recogniseChallenge } from './challenge-page.js';
import { describeHttpStatus, fetchPage } from './fetch-page.js';
import { resolvePointer } from './json-pointer.js';
import { startPoller, type PolledFigures } from './poller.js';
import { amountFromJson, contributorsFromJson, type FigureFormat } from './read-figures.js';
import type { RunningSource, SourceContext } from './source.js';
import { SourceFailure } from './source-failure.js';

/** Polls a JSON API and reads the figures at two JSON Pointers. */
export function startHttpJsonSource(context: SourceContext, config: SourceOf<'http-json'>): RunningSource {
  const format: FigureFormat = { currency: context.pot.currency, locale: config.locale, amountIn: config.amountIn };
  let lastGood: { etag: string | undefined; figures: PolledFigures } | undefined;

  return startPoller(context, {
    everyMs: config.everySeconds * SECOND,
    maxBackoffMs: config.maxBackoffSeconds * SECOND,
    origin: 'http-json',
    async poll(signal) {
      const page = await fetchPage({
        url: config.url,
        timeoutMs: config.timeoutSeconds * SECOND,
        headers: config.headers,
        userAgent: config.userAgent,
        accept: 'application/json',
        etag: lastGood?.etag,
        signal,
      });
      // Unchanged since the last good answer: the same figures hold at this new instant.
      if (page.status === 304 && lastGood) return lastGood.figures;
      const text = new TextDecoder('utf-8', { fatal: false }).decode(page.body);
      if (page.status < 200 || page.status >= 300) {
        const challenge = recogniseChallenge(text, page.headers);
        const status = describeHttpStatus(page.status, config.url);
        throw new SourceFailure(challenge ? `${status}: ${challenge}` : status, page.retryAfterMs);
      }
      let document: unknown;
      try {
        document = JSON.parse(text);
      } catch {
        const challenge = recogniseChallenge(text, page.headers);
        throw new SourceFailure(challenge ? `got ${challenge} instead of JSON` : 'the answer is not valid JSON');
      }
      const figures = readFigures(document, config, format);
      lastGood = { etag: page.headers.get('etag') ?? undefined, figures };
      return figures;
    },
  });
}

function readFigures(document: unknown, config: SourceOf<'http-json'>, format: FigureFormat): PolledFigures {
  const amount = resolvePointer(document, config.amount);
  if (!amount.found) throw new SourceFailure(`the answer has no amount at ${config.amount} (nothing at ${amount.missing})`);
  const contributors = resolvePointer(document, config.contributors);
  if (!contributors.found) {
    throw new SourceFailure(`the answer has no contributors at ${config.contributors} (nothing at ${contributors.missing})`);
  }
  return {
    amountMinor: amountFromJson(amount.value, format),
    contributors: contributorsFromJson(contributors.value),
    raw: JSON.stringify({ amount: amount.value, contributors: contributors.value }).slice(0, 500),
  };
}
