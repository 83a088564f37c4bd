import type { Logger } from 'pino';
import type { Reading } from '../../shared/types.js';
import type { PotConfig } from '../../shared/pot-config.js';
import type { IngestBatch, IngestResult } from '../ingest/ingest.js';
import type { ListedContribution } from './page/contribution-list.js';
import type { PageAccess } from './page/page-reader.js';

/** What a running source may do with its pot. */
export interface SourceContext {
  pot: PotConfig;
  logger: Logger;
  latest(): Reading | undefined;
  /** The contributions last read from the pot's page, newest first, to tell the next list's new ones. */
  recentContributions(limit: number): ListedContribution[];
  /** The shared browser for rendered pages, and where the source may go. */
  pages: PageAccess;
  ingest(batch: IngestBatch): IngestResult;
  /** Removes the pot's history (a replay starting over). */
  clear(): void;
  /** The last attempt failed, with a reason a viewer can read; `undefined` once it works again. */
  reportFailure(reason: string | undefined): void;
  /** The source has stopped producing on purpose (e.g. a replay that ended), or resumed. */
  reportPaused(reason: string | undefined): void;
}

export interface RunningSource {
  stop(): void;
}
