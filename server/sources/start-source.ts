import { startHtmlSource } from './html-source.js';
import { startHttpJsonSource } from './http-json-source.js';
import { startReplaySource } from './replay-source.js';
import type { RunningSource, SourceContext } from './source.js';

/** Starts the poller or replay behind a pot; webhook pots have nothing to run. */
export function startSource(context: SourceContext): RunningSource | undefined {
  const { source } = context.pot;
  switch (source.kind) {
    case 'replay':
      return startReplaySource(context, source);
    case 'http-json':
      return startHttpJsonSource(context, source);
    case 'html':
      return startHtmlSource(context, source);
    case 'webhook':
      return undefined;
  }
}
