import { render } from 'svelte/server';
import type { ComparedPotStart, CompareOptions } from '../../../shared/compare.js';
import type { EmbedLanguage, EmbedOptions } from '../../../shared/embed-options.js';
import { i18n } from '../lib/i18n.svelte.js';
import type { LivePotStart } from '../lib/live-pot.svelte.js';
import CompareEmbed from './CompareEmbed.svelte';
import Embed from './Embed.svelte';

export interface EmbedBodyInput {
  potId: string;
  options: EmbedOptions;
  lang: EmbedLanguage;
  start: LivePotStart;
}

/**
 * The embed's markup, drawn on the server with the figures it knows, exactly as the browser's
 * copy of the same component will take it over (hydrate) when its script runs. Built into
 * dist/ssr by `vite build --ssr`; the server loads it (server/embed/embed-body.ts).
 */
export function renderEmbedBody(input: EmbedBodyInput): string {
  i18n.lang = input.lang;
  // The reader's time zone is not known here: times are drawn in UTC, and the browser redraws them in its own.
  const options = { ...input.options, tz: input.options.tz ?? 'UTC' };
  return render(Embed, { props: { potId: input.potId, options, start: input.start } }).body;
}

export interface CompareBodyInput {
  compare: CompareOptions;
  options: EmbedOptions;
  lang: EmbedLanguage;
  starts: ComparedPotStart[];
}

/** The compare embed's markup, drawn on the server as `renderEmbedBody` draws a pot's. */
export function renderCompareBody(input: CompareBodyInput): string {
  i18n.lang = input.lang;
  const options = { ...input.options, tz: input.options.tz ?? 'UTC' };
  return render(CompareEmbed, { props: { compare: input.compare, options, starts: input.starts } }).body;
}
