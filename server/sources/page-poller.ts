import { SECOND } from '../../shared/time.js';
import type { SourceOf } from '../../shared/pot-config.js';
import { recogniseChallenge } from './challenge-page.js';
import { describeHttpStatus, fetchPage, type Page } from './fetch-page.js';
import { startPoller, type PolledFigures } from './poller.js';
import type { RunningSource, SourceContext } from './source.js';
import { SourceFailure } from './source-failure.js';

/** Where a polled page is and how it is fetched: what the `http-json` and `html` sources share. */
export type PageSourceConfig = Pick<
  SourceOf<'http-json' | 'html'>,
  'url' | 'everySeconds' | 'maxBackoffSeconds' | 'timeoutSeconds' | 'headers' | 'userAgent'
>;

/** How one kind of source reads its figures from the page it polls. */
export interface PageReader {
  origin: string;
  /** The Accept header of each request. */
  accept: string;
  /** The body as text: searched for a challenge page's marks, then handed to `read`. */
  text(body: Buffer): string;
  /** Reads the figures of a 2xx answer; throws a `SourceFailure` saying what is wrong with it. */
  read(page: Page, text: string): PolledFigures;
}

/**
 * Polls one page with `If-None-Match`: a 304 means the figures of the last good answer still
 * hold, now; any other answer outside 2xx is a failure named after its status, and after the
 * challenge page it is, if it is one. Only a 2xx answer reaches the reader.
 */
export function startPagePoller(context: SourceContext, config: PageSourceConfig, reader: PageReader): RunningSource {
  let lastGood: { etag: string | undefined; figures: PolledFigures } | undefined;

  return startPoller(context, {
    everyMs: config.everySeconds * SECOND,
    maxBackoffMs: config.maxBackoffSeconds * SECOND,
    origin: reader.origin,
    async poll(signal) {
      const page = await fetchPage({
        url: config.url,
        timeoutMs: config.timeoutSeconds * SECOND,
        headers: config.headers,
        userAgent: config.userAgent,
        accept: reader.accept,
        etag: lastGood?.etag,
        signal,
        policy: context.pages.policy,
      });
      if (page.status === 304 && lastGood) return lastGood.figures;
      const text = reader.text(page.body);
      if (page.status < 200 || page.status >= 300) {
        const challenge = recogniseChallenge(text, page.headers);
        const status = describeHttpStatus(page.status, config.url);
        throw new SourceFailure(challenge ? `${status}: ${challenge}` : status, page.retryAfterMs);
      }
      const figures = reader.read(page, text);
      lastGood = { etag: page.headers.get('etag') ?? undefined, figures };
      return figures;
    },
  });
}
