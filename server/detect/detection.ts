import type { Logger } from 'pino';
import { MODERATION_NAMESPACE, moderationRoom, type SuggestionEvent } from '../../shared/events.js';
import type { PotConfig } from '../../shared/pot-config.js';
import { ContributionsRepository } from '../db/contributions-repository.js';
import type { Database } from '../db/database.js';
import type { ReadingsRepository } from '../db/readings-repository.js';
import { SuggestionsRepository } from '../db/suggestions-repository.js';
import type { PotwatchIo } from '../live/publisher.js';
import type { ModerationNamespace } from '../moderation/moderation-namespace.js';
import type { Moderation } from '../moderation/moderation.js';
import { DetectionRunner } from './detection-runner.js';
import { SuggestionReview } from './suggestion-review.js';

/** Suggestions, wired together: the runner that raises them, the review that decides them. */
export interface Detection {
  runner: DetectionRunner;
  repository: SuggestionsRepository;
  review: SuggestionReview;
}

export function createDetection(
  db: Database,
  readings: ReadingsRepository,
  pots: readonly PotConfig[],
  moderation: Moderation,
  io: PotwatchIo,
  logger: Logger,
): Detection {
  const moderators = io.of(MODERATION_NAMESPACE) as unknown as ModerationNamespace;
  const tellModerators = (event: SuggestionEvent) => moderators.to(moderationRoom(event.potId)).emit('suggestion', event);
  const repository = new SuggestionsRepository(db, moderation.now);
  const runner = new DetectionRunner({
    readings,
    contributions: new ContributionsRepository(db),
    suggestions: repository,
    pots,
    logger: logger.child({ concern: 'detection' }),
    onChange: tellModerators,
  });
  const review = new SuggestionReview(db, repository, moderation.flags, moderation.audit, tellModerators);
  return { runner, repository, review };
}
