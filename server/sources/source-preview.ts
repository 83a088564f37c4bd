import type { CheerioAPI } from 'cheerio';
import type { PreviewContribution, PreviewFigure, SourcePreview } from '../../shared/managed-pots.js';
import { minorToMajor } from '../../shared/money.js';
import type { PreviewSourceInput, SourceOf } from '../../shared/pot-config.js';
import { SECOND } from '../../shared/time.js';
import { describeHttpStatus, fetchPage } from './fetch-page.js';
import { decodeJsonAnswer, parseJsonAnswer, readJsonFigures } from './http-json-source.js';
import type { ListedContribution } from './page/contribution-list.js';
import { readPage, type PageAccess } from './page/page-reader.js';
import { SourceFailure } from './source-failure.js';

/** A preview that could not read the source, and why (answered 422). */
export class PreviewFailure extends Error {}

/** Largest page snapshot sent back for picking elements by hand. */
const MAX_SNAPSHOT_BYTES = 1024 * 1024;
const SHOWN_CONTRIBUTIONS = 50;

/**
 * One poll of a source, now, storing nothing: the figures it gives, how they were found and,
 * for a page, its recent contributions and a snapshot to pick elements from.
 */
export async function previewSource(input: PreviewSourceInput, access: PageAccess, signal: AbortSignal): Promise<SourcePreview> {
  const { source } = input;
  if (source.kind === 'webhook') throw new PreviewFailure('a webhook source is not polled: its readings come when the platform sends them');
  if (source.kind === 'replay') throw new PreviewFailure('a replay is not polled: its readings come from its scenario');
  const refused = access.policy && (await access.policy.check(source.url));
  if (refused) throw new PreviewFailure(`the source may not be read: ${refused}`);
  try {
    return source.kind === 'html' ? await previewPage(source, input.currency, access, signal) : await previewJson(source, input.currency ?? 'EUR', access, signal);
  } catch (error) {
    if (error instanceof SourceFailure) throw new PreviewFailure(error.message);
    throw error;
  }
}

async function previewPage(
  source: SourceOf<'html'>,
  currency: string | undefined,
  access: PageAccess,
  signal: AbortSignal,
): Promise<SourcePreview> {
  const read = await readPage(source, access, { currency, signal });
  if (read.kind !== 'read') throw new PreviewFailure('the page did not answer');
  const { reading } = read;
  const shownCurrency = currency ?? reading.found.currency ?? 'EUR';
  const snapshot = pageSnapshot(read.page);
  return {
    amount: minorToMajor(reading.amountMinor, shownCurrency),
    contributors: reading.contributors,
    contributions: reading.contributions.slice(0, SHOWN_CONTRIBUTIONS).map((listed) => previewContribution(listed, shownCurrency)),
    found: {
      amount: { ...reading.found.amount, value: minorToMajor(reading.found.amount.value, shownCurrency) },
      contributors: reading.found.contributors,
      ...(reading.found.contributions
        ? { contributions: { ...reading.found.contributions, selectors: { ...reading.found.contributions.selectors } } }
        : {}),
      renderedBy: read.renderedBy,
      currency: shownCurrency,
    },
    ...(snapshot ? { snapshot } : {}),
  };
}

async function previewJson(source: SourceOf<'http-json'>, currency: string, access: PageAccess, signal: AbortSignal): Promise<SourcePreview> {
  const page = await fetchPage({
    url: source.url,
    timeoutMs: source.timeoutSeconds * SECOND,
    headers: source.headers,
    userAgent: source.userAgent,
    accept: 'application/json',
    signal,
    policy: access.policy,
  });
  if (page.status < 200 || page.status >= 300) throw new PreviewFailure(describeHttpStatus(page.status, source.url));
  const text = decodeJsonAnswer(page.body);
  const figures = readJsonFigures(parseJsonAnswer(page, text), source, { currency, locale: source.locale, amountIn: source.amountIn });
  const raw = JSON.parse(figures.raw ?? '{}') as { amount?: unknown; contributors?: unknown };
  const figure = (value: number, pointer: string, shown: unknown): PreviewFigure => ({
    value,
    text: JSON.stringify(shown),
    selector: pointer,
    how: 'the given JSON Pointer',
  });
  const amount = minorToMajor(figures.amountMinor, currency);
  return {
    amount,
    contributors: figures.contributors,
    contributions: [],
    found: {
      amount: figure(amount, source.amount, raw.amount),
      contributors: figure(figures.contributors, source.contributors, raw.contributors),
      currency,
    },
  };
}

function previewContribution(listed: ListedContribution, currency: string): PreviewContribution {
  return {
    ...(listed.name !== undefined ? { name: listed.name } : {}),
    ...(listed.amountMinor !== undefined ? { amount: minorToMajor(listed.amountMinor, currency) } : {}),
    ...(listed.message !== undefined ? { message: listed.message } : {}),
    ...(listed.at !== undefined ? { at: listed.at } : {}),
  };
}

/**
 * The page as read, made inert for display in the admin's browser: no scripts, frames,
 * forms, event handlers or remote resources, only its structure, text and inline styles.
 */
function pageSnapshot($: CheerioAPI): string | undefined {
  const copy = $.root().clone();
  copy.find('script, noscript, iframe, frame, object, embed, link, meta, base, form, input, button, select, textarea, img, video, audio, source, svg, canvas').remove();
  copy.find('*').each((_index, element) => {
    for (const name of Object.keys((element as { attribs: Record<string, string> }).attribs)) {
      const lower = name.toLowerCase();
      if (lower.startsWith('on') || lower === 'href' || lower === 'src' || lower === 'srcset' || lower === 'action' || lower === 'formaction') {
        $(element).removeAttr(name);
      }
    }
  });
  const html = copy.html() ?? '';
  return Buffer.byteLength(html) <= MAX_SNAPSHOT_BYTES ? html : undefined;
}
