import type { CheerioAPI } from 'cheerio';
import type { RenderMode } from '../../../shared/managed-pots.js';
import type { SourceOf } from '../../../shared/pot-config.js';
import { SECOND } from '../../../shared/time.js';
import type { AddressPolicy } from '../address-policy.js';
import type { PageRenderer } from '../browser/page-renderer.js';
import { recogniseChallenge } from '../challenge-page.js';
import { DEFAULT_USER_AGENT, describeHttpStatus, fetchPage } from '../fetch-page.js';
import { FiguresMissing, SourceFailure } from '../source-failure.js';
import { loadPage, readPotPage, type PageReading } from './read-pot-page.js';

/** What a page source needs beyond its configuration: the shared browser, and where it may go. */
export interface PageAccess {
  renderer: PageRenderer;
  /** For sources made through the API; the pots file's go anywhere. */
  policy?: AddressPolicy | undefined;
}

export type ReadPage =
  | { kind: 'read'; reading: PageReading; renderedBy: 'server' | 'browser'; page: CheerioAPI; etag?: string | undefined }
  /** The served page has not changed since `etag`: its figures still hold. */
  | { kind: 'unchanged' };

export interface PageReadOptions {
  /** The pot's currency; absent for a preview, where the amount's mark says. */
  currency: string | undefined;
  signal: AbortSignal;
  /** ETag of the last page read as served, for If-None-Match. */
  etag?: string | undefined;
  /** Go straight to the browser (`auto` already found that the served page lacks the figures). */
  rendered?: boolean;
  now?: () => number;
}

/**
 * Reads a pot page as its readers see it. `static` reads the HTML as served; `browser` the
 * page as headless Chromium renders it; `auto` the HTML as served, and the rendered page
 * when the figures are not in it. A challenge page is named, never read.
 */
export async function readPage(config: SourceOf<'html'>, access: PageAccess, options: PageReadOptions): Promise<ReadPage> {
  const mode: RenderMode = config.render ?? 'auto';
  const now = options.now ?? Date.now;
  if (mode === 'browser' || (mode === 'auto' && options.rendered)) return readRendered(config, access, options, now);
  const page = await fetchPage({
    url: config.url,
    timeoutMs: config.timeoutSeconds * SECOND,
    headers: config.headers,
    userAgent: config.userAgent,
    accept: 'text/html,application/xhtml+xml',
    etag: options.etag,
    signal: options.signal,
    policy: access.policy,
  });
  if (page.status === 304 && options.etag) return { kind: 'unchanged' };
  // One character per byte, whatever the page's charset: enough to find a challenge page's
  // marks, which are ASCII. The figures are read from the page decoded with its charset.
  const text = page.body.toString('latin1');
  const challenge = recogniseChallenge(text, page.headers);
  if (page.status < 200 || page.status >= 300) {
    const status = describeHttpStatus(page.status, config.url);
    throw new SourceFailure(challenge ? `${status}: ${challenge}` : status, page.retryAfterMs);
  }
  if (challenge) throw new SourceFailure(`got ${challenge} instead of the pot page`);
  const $ = loadPage({ bytes: page.body, charset: charsetOf(page.headers) });
  try {
    const reading = readPotPage($, config, options.currency, now());
    return { kind: 'read', reading, renderedBy: 'server', page: $, etag: page.headers.get('etag') ?? undefined };
  } catch (error) {
    if (mode === 'auto' && error instanceof FiguresMissing) return readRendered(config, access, options, now);
    throw error;
  }
}

async function readRendered(config: SourceOf<'html'>, access: PageAccess, options: PageReadOptions, now: () => number): Promise<ReadPage> {
  let lastFailure: SourceFailure | undefined;
  const rendered = await access.renderer.render({
    url: config.url,
    timeoutMs: config.timeoutSeconds * SECOND,
    headers: config.headers,
    userAgent: config.userAgent ?? DEFAULT_USER_AGENT,
    policy: access.policy,
    signal: options.signal,
    ready(html) {
      if (recogniseChallenge(html, new Headers())) return true;
      try {
        readPotPage(loadPage({ html }), config, options.currency, now());
        return true;
      } catch (error) {
        if (!(error instanceof SourceFailure)) throw error;
        lastFailure = error;
        return false;
      }
    },
  });
  if (rendered.status >= 400) throw new SourceFailure(`${describeHttpStatus(rendered.status, config.url)} (page rendered in a browser)`);
  const challenge = recogniseChallenge(rendered.html, new Headers());
  if (challenge) throw new SourceFailure(`got ${challenge} instead of the pot page (page rendered in a browser)`);
  if (!rendered.ready) {
    const waited = `${Number((config.timeoutSeconds).toFixed(1))} s`;
    throw new (lastFailure instanceof FiguresMissing ? FiguresMissing : SourceFailure)(
      `${lastFailure?.message ?? 'the page showed nothing readable'} (page rendered in a browser for ${waited})`,
    );
  }
  const page = loadPage({ html: rendered.html });
  return { kind: 'read', reading: readPotPage(page, config, options.currency, now()), renderedBy: 'browser', page };
}

function charsetOf(headers: Headers): string | undefined {
  return /charset=["']?([\w-]+)/i.exec(headers.get('content-type') ?? '')?.[1];
}
