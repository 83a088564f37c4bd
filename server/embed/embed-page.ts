import { createHash } from 'node:crypto';
import path from 'node:path';
import {
  EMBED_CHART_POINTS,
  EMBED_DATA_ELEMENT_ID,
  embedQuery,
  type EmbedLanguage,
  type EmbedOptions,
  type EmbedPageData,
} from '../../shared/embed-options.js';
import type { Annotation } from '../../shared/annotations.js';
import { COMPARE_CHART_POINTS, compareQuery, type ComparePageData, type CompareOptions } from '../../shared/compare.js';
import type { ReadingsRepository } from '../db/readings-repository.js';
import type { PotStates } from '../live/pot-states.js';
import { chartWords } from './chart-svg.js';
import { EmbedBody } from './embed-body.js';
import { PageShell } from './page-shell.js';
import { rangePoints } from './range-points.js';
import { shareCardTags } from './share-card.js';
import { stillChartHtml } from './still-chart.js';

/** A pot's context annotations, in time order, read from memory. */
export interface PotAnnotationsSource {
  ofPot(potId: string): readonly Annotation[];
}

export interface EmbedPage {
  /** Strong, computed from what the page is made of without drawing it. */
  etag: string;
  html(): string;
}

/** The element of the server-drawn markup that holds the still chart (see PotChart.svelte). */
const STILL_CHART_SLOT = /(<div\b[^>]*\bdata-still-chart\b[^>]*>)(<\/div>)/;

/**
 * The embed page as the server sends it: the embed component drawn with the pot's figures, its
 * chart drawn as a still picture in place of the canvas, and the data the page's script takes
 * over from. It shows everything before (and without) any script.
 */
export class EmbedPages {
  private readonly shell: PageShell;
  private readonly body: EmbedBody;

  constructor(
    private readonly states: PotStates,
    private readonly readings: ReadingsRepository,
    private readonly annotations: PotAnnotationsSource,
    clientDir: string,
  ) {
    this.shell = new PageShell(clientDir, 'embed.html', 'embed', EMBED_DATA_ELEMENT_ID);
    this.body = new EmbedBody(path.join(clientDir, '..', 'ssr'));
  }

  /** The page of a tracked pot, or undefined when the client is not built. */
  async page(potId: string, options: EmbedOptions, lang: EmbedLanguage, origin: string): Promise<EmbedPage | undefined> {
    const shellVersion = this.shell.version();
    if (shellVersion === undefined || !(await this.body.ready())) return undefined;
    // Everything the page shows comes from the pot's summary (title, latest reading, status) and
    // its stored history (count and first reading: a late reading changes the curve, not the latest).
    const { readings, firstReadingAt } = this.states.counts(potId);
    const moments = options.annotations ? this.annotations.ofPot(potId) : [];
    const made = [
      shellVersion,
      this.body.version(),
      embedQuery(options),
      lang,
      readings,
      firstReadingAt,
      JSON.stringify(this.states.summary(potId)),
      JSON.stringify(moments),
      origin,
    ];
    const etag = `"${createHash('sha1').update(made.join('\n')).digest('base64url')}"`;
    return { etag, html: () => this.draw(potId, options, lang, moments, origin) };
  }

  private draw(potId: string, options: EmbedOptions, lang: EmbedLanguage, annotations: readonly Annotation[], origin: string): string {
    const pot = this.states.summary(potId);
    const points = rangePoints(this.readings, potId, { latest: pot.latest, firstReadingAt: this.states.counts(potId).firstReadingAt }, options.range, EMBED_CHART_POINTS);
    const timeZone = options.tz ?? 'UTC';
    const still = stillChartHtml({
      points,
      height: options.height,
      currency: pot.currency,
      lang,
      timeZone,
      accent: options.accent,
      moments: annotations.map((annotation) => annotation.at),
    });
    const body = this.body.render({ potId, options, lang, start: { pot, points, annotations: [...annotations] } }).replace(STILL_CHART_SLOT, (_, open: string, close: string) => `${open}${still}${close}`);
    const data: EmbedPageData = { lang, pot, points, annotations: [...annotations] };
    const html = this.shell.fill({
      lang,
      theme: options.theme,
      title: chartWords(lang, pot.currency, timeZone).say('pageTitle', { title: pot.title }),
      body,
      data,
      head: shareCardTags(pot, { origin, url: `${origin}/pots/${potId}`, lang }),
    });
    if (html === undefined) throw new Error('the embed page disappeared while it was drawn');
    return html;
  }

  /** The page of pots side by side, drawn as a pot's is; undefined when the client is not built. */
  async comparePage(compare: CompareOptions, options: EmbedOptions, lang: EmbedLanguage): Promise<EmbedPage | undefined> {
    const shellVersion = this.shell.version();
    if (shellVersion === undefined || !(await this.body.ready())) return undefined;
    const made = [shellVersion, this.body.version(), compareQuery(compare), embedQuery(options), lang];
    for (const potId of compare.pots) {
      const { readings, firstReadingAt } = this.states.counts(potId);
      made.push(String(readings), String(firstReadingAt), JSON.stringify(this.states.summary(potId)));
    }
    const etag = `"${createHash('sha1').update(made.join('\n')).digest('base64url')}"`;
    return { etag, html: () => this.drawCompare(compare, options, lang) };
  }

  private drawCompare(compare: CompareOptions, options: EmbedOptions, lang: EmbedLanguage): string {
    const starts = compare.pots.map((potId) => {
      const pot = this.states.summary(potId);
      const points = rangePoints(this.readings, potId, { latest: pot.latest, firstReadingAt: this.states.counts(potId).firstReadingAt }, 'all', COMPARE_CHART_POINTS);
      return { pot, points };
    });
    const data: ComparePageData = { lang, starts };
    const html = this.shell.fill({
      lang,
      theme: options.theme,
      title: starts.map(({ pot }) => pot.title).join(' · '),
      body: this.body.renderCompare({ compare, options, lang, starts }),
      data,
    });
    if (html === undefined) throw new Error('the embed page disappeared while it was drawn');
    return html;
  }
}
