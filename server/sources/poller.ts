import type { Contribution } from '../db/readings-repository.js';
import type { IncomingReading } from '../ingest/ingest.js';
import { backoffDelay } from './backoff.js';
import type { RunningSource, SourceContext } from './source.js';
import { SourceFailure } from './source-failure.js';

export type PolledFigures = Omit<IncomingReading, 'at'> & {
  /** Contributions first seen at this poll. */
  contributions?: Contribution[];
  /** Called once the reading and its contributions are stored. */
  onStored?: () => void;
};

export interface PollerOptions {
  everyMs: number;
  maxBackoffMs: number;
  origin: string;
  /** Reads the figures once; throws a `SourceFailure` with a readable reason. */
  poll(signal: AbortSignal): Promise<PolledFigures>;
}

/**
 * Polls a source at its interval; one attempt at a time. A failure marks the pot stale
 * with the reason and stores nothing; the next attempts back off exponentially, with
 * jitter, and honour the source's Retry-After. The first good answer makes it live again.
 */
export function startPoller(context: SourceContext, options: PollerOptions): RunningSource {
  const stopper = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let failures = 0;
  let lastReason: string | undefined;

  const attempt = async () => {
    let delay = options.everyMs;
    try {
      const { contributions, onStored, ...figures } = await options.poll(stopper.signal);
      if (stopper.signal.aborted) return;
      context.ingest({ readings: [{ at: Date.now(), ...figures }], ...(contributions?.length ? { contributions } : {}), origin: options.origin });
      onStored?.();
      if (failures > 0) context.logger.info({ failures }, 'source answers again');
      failures = 0;
      lastReason = undefined;
      context.reportFailure(undefined);
    } catch (error) {
      if (stopper.signal.aborted) return;
      failures++;
      const failure = error instanceof SourceFailure ? error : undefined;
      const reason = failure?.message ?? 'the reading could not be stored';
      if (!failure) context.logger.error({ err: error }, 'source reading failed unexpectedly');
      else if (reason !== lastReason) context.logger.warn({ reason, failures }, 'source failed');
      lastReason = reason;
      context.reportFailure(reason);
      delay = Math.max(
        backoffDelay(failures, options.everyMs, options.maxBackoffMs),
        Math.min(failure?.retryAfterMs ?? 0, options.maxBackoffMs),
      );
    }
    if (!stopper.signal.aborted) timer = setTimeout(attempt, delay);
  };

  timer = setTimeout(attempt, 0);
  return {
    stop() {
      stopper.abort();
      clearTimeout(timer);
    },
  };
}
