import {
  EMBED_FRAME_SANDBOX,
  EMBED_HEIGHT_MIN,
  embedUrl,
  estimatedFrameHeight,
  type EmbedOptions,
} from '../../shared/embed-options.js';
import { escapeMarkup } from '../../shared/escape-markup.js';
import { CARD_IMAGE } from './share-card.js';

/** The oEmbed 1.0 answer for a pot: a "rich" type whose html is the embed's iframe. */
export interface OEmbedResponse {
  version: '1.0';
  type: 'rich';
  provider_name: string;
  provider_url: string;
  title: string;
  html: string;
  width: number;
  height: number;
  cache_age: number;
  /** The chart's current picture, for tools that show a preview of the embed. */
  thumbnail_url: string;
  thumbnail_width: number;
  thumbnail_height: number;
}

export const OEMBED_WIDTH = 640;
export const OEMBED_CACHE_SECONDS = 300;

const FRAME_TITLE = { en: '{title}: live chart (Potwatch)', fr: '{title} : graphique en direct (Potwatch)' } as const;

export interface OEmbedRequest {
  origin: string;
  potId: string;
  title: string;
  options: EmbedOptions;
  maxWidth?: number;
  maxHeight?: number;
}

/**
 * Fits the embed within `maxheight` by shortening the chart, then by leaving out the
 * counters; the html is the iframe plus our host script, which resizes it to its content
 * where the publishing tool keeps scripts.
 */
export function buildOEmbed(request: OEmbedRequest): OEmbedResponse {
  const options = fitHeight(request.options, request.maxHeight);
  const width = Math.min(OEMBED_WIDTH, request.maxWidth ?? OEMBED_WIDTH);
  const height = Math.min(estimatedFrameHeight(options), request.maxHeight ?? Infinity);
  const frameTitle = FRAME_TITLE[options.lang ?? 'en'].replace('{title}', request.title);
  const src = embedUrl(request.origin, request.potId, options);
  const html =
    `<iframe src="${escapeMarkup(src)}" title="${escapeMarkup(frameTitle)}" width="${width}" height="${height}"` +
    ` style="width:100%;height:${height}px;border:0" loading="lazy" sandbox="${EMBED_FRAME_SANDBOX}"></iframe>` +
    `<script src="${escapeMarkup(request.origin)}/embed.js" async></script>`;
  return {
    version: '1.0',
    type: 'rich',
    provider_name: 'Potwatch',
    provider_url: `${request.origin}/`,
    title: request.title,
    html,
    width,
    height,
    cache_age: OEMBED_CACHE_SECONDS,
    thumbnail_url: `${request.origin}/embed/${encodeURIComponent(request.potId)}/chart.png?lang=${options.lang ?? 'en'}`,
    thumbnail_width: CARD_IMAGE.width,
    thumbnail_height: CARD_IMAGE.height,
  };
}

function fitHeight(options: EmbedOptions, maxHeight: number | undefined): EmbedOptions {
  if (maxHeight === undefined || estimatedFrameHeight(options) <= maxHeight) return options;
  const chrome = estimatedFrameHeight({ ...options, height: 0 });
  const shorter = { ...options, height: Math.max(EMBED_HEIGHT_MIN, maxHeight - chrome) };
  if (estimatedFrameHeight(shorter) <= maxHeight || !options.counters) return shorter;
  const bare = { ...options, counters: false };
  return { ...bare, height: Math.max(EMBED_HEIGHT_MIN, Math.min(options.height, maxHeight - estimatedFrameHeight({ ...bare, height: 0 }))) };
}
