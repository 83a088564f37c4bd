import type { SourceOf } from '../../shared/pot-config.js';
import { recogniseChallenge } from './challenge-page.js';
import type { Page } from './fetch-page.js';
import { resolvePointer } from './json-pointer.js';
import { startPagePoller } from './page-poller.js';
import type { PolledFigures } from './poller.js';
import { amountFromJson, contributorsFromJson, type FigureFormat } from './read-figures.js';
import type { RunningSource, SourceContext } from './source.js';
import { SourceFailure } from './source-failure.js';

/** Polls a JSON API and reads the figures at two JSON Pointers. */
export function startHttpJsonSource(context: SourceContext, config: SourceOf<'http-json'>): RunningSource {
  const format: FigureFormat = { currency: context.pot.currency, locale: config.locale, amountIn: config.amountIn };

  return startPagePoller(context, config, {
    origin: 'http-json',
    accept: 'application/json',
    text: decodeJsonAnswer,
    read: (page, text) => readJsonFigures(parseJsonAnswer(page, text), config, format),
  });
}

export const decodeJsonAnswer = (body: Buffer): string => new TextDecoder('utf-8', { fatal: false }).decode(body);

/** The answer as JSON; a challenge page or anything else is refused with what it is. */
export function parseJsonAnswer(page: Page, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const challenge = recogniseChallenge(text, page.headers);
    throw new SourceFailure(challenge ? `got ${challenge} instead of JSON` : 'the answer is not valid JSON');
  }
}

/** The figures at the source's two JSON Pointers. */
export function readJsonFigures(document: unknown, config: SourceOf<'http-json'>, format: FigureFormat): PolledFigures {
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
