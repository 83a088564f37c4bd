import type { SourceOf } from '../../shared/pot-config.js';
import { SECOND } from '../../shared/time.js';
import type { Contribution } from '../db/readings-repository.js';
import { alignContributions, type Remembered } from './page/align-contributions.js';
import type { ListedContribution } from './page/contribution-list.js';
import { readPage } from './page/page-reader.js';
import { startPoller, type PolledFigures } from './poller.js';
import type { RunningSource, SourceContext } from './source.js';

/** Contributions remembered to lay the next poll's list over: far more than any page shows. */
export const REMEMBERED_CONTRIBUTIONS = 200;

/**
 * Polls a pot's web page, for platforms without an API: the figures by CSS selector or by
 * their wording, the page as served or as a browser renders it, and the list of recent
 * contributions, each stored once however many polls show it.
 */
export function startHtmlSource(context: SourceContext, config: SourceOf<'html'>): RunningSource {
  let lastGood: { etag: string | undefined; figures: PolledFigures } | undefined;
  let rendered = config.render === 'browser';
  let memory: Array<Remembered<ListedContribution>> = context.recentContributions(REMEMBERED_CONTRIBUTIONS);
  // A list recognised once is read the same way after: recognising it afresh at each poll could
  // take a message for absent one time and present the next, and the lists would not meet.
  let listSelectors = config.contributions;

  return startPoller(context, {
    everyMs: config.everySeconds * SECOND,
    maxBackoffMs: config.maxBackoffSeconds * SECOND,
    origin: 'html',
    async poll(signal) {
      const read = await readPage({ ...config, contributions: listSelectors }, context.pages, {
        currency: context.pot.currency,
        signal,
        etag: rendered ? undefined : lastGood?.etag,
        rendered,
      });
      if (read.kind === 'unchanged') return lastGood!.figures;
      // `auto` keeps to the browser once the served page proved to lack the figures.
      rendered = read.renderedBy === 'browser';
      const { reading } = read;
      const list = reading.found.contributions;
      if (list?.recognised) listSelectors = list.selectors;
      else if (list && list.items === 0 && config.contributions === undefined) listSelectors = undefined;
      const pollAt = Date.now();
      const previousCount = context.latest()?.contributors;
      const alignment = alignContributions(memory, reading.contributions, contributionKey, {
        expectedNew: previousCount === undefined ? undefined : Math.max(0, reading.contributors - previousCount),
        memorySize: REMEMBERED_CONTRIBUTIONS,
      });
      if (alignment.gap) context.logger.info({ shown: reading.contributions.length }, 'more contributions came than the page shows');
      const figures: PolledFigures = {
        amountMinor: reading.amountMinor,
        contributors: reading.contributors,
        raw: JSON.stringify({ amount: reading.found.amount.text, contributors: reading.found.contributors.text }).slice(0, 500),
      };
      lastGood = { etag: read.etag, figures };
      return {
        ...figures,
        contributions: alignment.fresh.map((listed, index) => toContribution(listed, pollAt, index)),
        onStored: () => {
          memory = alignment.memory;
        },
      };
    },
  });
}

/** What tells two listed contributions apart: never the time, which pages write relative to now. */
export function contributionKey(contribution: ListedContribution): string {
  return JSON.stringify([contribution.name ?? null, contribution.amountMinor ?? null, contribution.message ?? null]);
}

/**
 * A listed contribution gets an id from the poll that first saw it and its place in that
 * poll's list, so that ids sort newest first: the list seen last is rebuilt from them.
 */
export function listedContributionId(pollAt: number, index: number): string {
  return `list:${String(pollAt).padStart(13, '0')}:${String(99_999 - index).padStart(5, '0')}`;
}

function toContribution(listed: ListedContribution, pollAt: number, index: number): Contribution {
  return {
    id: listedContributionId(pollAt, index),
    at: listed.at ?? pollAt,
    ...(listed.name !== undefined ? { name: listed.name } : {}),
    ...(listed.amountMinor !== undefined ? { amountMinor: listed.amountMinor } : {}),
    ...(listed.message !== undefined ? { message: listed.message } : {}),
  };
}
