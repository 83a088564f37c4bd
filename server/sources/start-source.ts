import { startReplaySource } from './replay-source.js';
import type { RunningSource, SourceContext } from './source.js';

/** Starts the poller or replay behind a pot; webhook pots have nothing to run. */
export function startSource(context: SourceContext): RunningSource | undefined {
  const { source } = context.pot;
  switch (source.kind) {
    case 'replay':
      return startReplaySource(context, source);
    case 'webhook':
      return undefined;
    default:
      context.reportFailure(`the ${source.kind} source is not available in this version`);
      return undefined;
  }
}
