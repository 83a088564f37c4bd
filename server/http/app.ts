import express from 'express';
import type { Logger } from 'pino';
import type { PotwatchRole } from '../config/settings.js';
import type { ContributionsRepository } from '../db/contributions-repository.js';
import type { Database } from '../db/database.js';
import { QuarantineRepository } from '../db/quarantine-repository.js';
import type { ReadingsRepository } from '../db/readings-repository.js';
import type { SuggestionsRepository } from '../db/suggestions-repository.js';
import type { SuggestionReview } from '../detect/suggestion-review.js';
import type { HeldReadingsService } from '../ingest/held-readings.js';
import type { Ingest } from '../ingest/ingest.js';
import { LiveSnapshots } from '../live/live-snapshots.js';
import type { TrustProxy } from '../live/client-address.js';
import type { PotStates } from '../live/pot-states.js';
import type { MetricsSource } from '../metrics/metrics.js';
import type { Moderation } from '../moderation/moderation.js';
import type { PotService } from '../pots/pot-service.js';
import type { SecretRotationService } from '../pots/secret-rotation.js';
import type { PageAccess } from '../sources/page/page-reader.js';
import { AnswerCache } from './cached-answer.js';
import { errorHandler, sendError } from './errors.js';
import { pagesRouter } from './pages.js';
import { accountRouter } from './routes/account.js';
import { auditRouter } from './routes/audit.js';
import { contributionsRouter } from './routes/contributions.js';
import { embedRouter } from './routes/embed.js';
import { fanoutApiRouter } from './routes/fanout-api.js';
import { flagsRouter } from './routes/flags.js';
import { healthRouter } from './routes/health.js';
import { liveRouter } from './routes/live.js';
import { metricsRouter } from './routes/metrics.js';
import { oembedRouter } from './routes/oembed.js';
import { potAdminRouter } from './routes/pot-admin.js';
import { potsRouter } from './routes/pots.js';
import { quarantineRouter } from './routes/quarantine.js';
import { readingsRouter } from './routes/readings.js';
import { secretsRouter } from './routes/secrets.js';
import { sessionRouter } from './routes/session.js';
import { suggestionsRouter } from './routes/suggestions.js';
import { usersRouter } from './routes/users.js';
import { rateLimitPerAddress } from './rate-limit.js';
import { securityHeaders } from './security-headers.js';

export interface HttpDependencies {
  db: Database;
  readings: ReadingsRepository;
  states: PotStates;
  ingest: Ingest;
  logger: Logger;
  moderation: Moderation;
  suggestions: { repository: SuggestionsRepository; review: SuggestionReview };
  contributions: ContributionsRepository;
  pots: PotService;
  secrets: SecretRotationService;
  heldReadings: HeldReadingsService;
  pages: PageAccess;
  trustProxy?: TrustProxy;
  clientDir: string;
  role: PotwatchRole;
  metrics: MetricsSource;
  metricsToken: string | undefined;
}

export function createHttpApp(deps: HttpDependencies): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', 'weak');
  app.set('query parser', 'simple');
  if (deps.trustProxy !== undefined) app.set('trust proxy', deps.trustProxy);

  app.use(securityHeaders);
  app.use(healthRouter(deps.db));
  app.use(metricsRouter(deps.metrics, deps.metricsToken));
  const answers = new AnswerCache();
  // Every process keeps the pots' latest state in memory, fan-out ones included: all answer it.
  app.use(liveRouter(deps.states, new LiveSnapshots(deps.states), answers));
  if (deps.role === 'fanout') app.use(fanoutApiRouter());
  // A whole history in CSV is the costliest public answer: a few per minute per address.
  app.use('/api/pots/:id/export.csv', rateLimitPerAddress({ perMinute: 12, burst: 6, what: 'exports' }));
  app.use(potsRouter(deps.states, deps.readings, answers));
  app.use(potAdminRouter(deps.moderation, deps.pots, deps.pages));
  app.use(readingsRouter(deps.states, deps.ingest, deps.logger, (potId) => deps.secrets.previousSecret(potId)));
  app.use(secretsRouter(deps.moderation, deps.secrets));
  app.use(sessionRouter(deps.moderation));
  app.use(accountRouter(deps.moderation));
  app.use(usersRouter(deps.moderation));
  app.use(flagsRouter(deps.moderation, deps.states));
  app.use(auditRouter(deps.moderation));
  app.use(contributionsRouter(deps.moderation, deps.states, deps.contributions));
  app.use(quarantineRouter(deps.moderation, deps.states, new QuarantineRepository(deps.db), deps.heldReadings));
  app.use(suggestionsRouter(deps.moderation, deps.states, deps.suggestions.repository, deps.suggestions.review));
  app.use('/api', (_req, res) => sendError(res, 404, 'not_found', 'no such API endpoint'));
  app.use(embedRouter(deps.states, deps.readings, deps.clientDir, answers));
  app.use(oembedRouter(deps.states));
  app.use(pagesRouter(deps.clientDir, { title: (potId) => deps.states.config(potId)?.title }));
  app.use((_req, res) => sendError(res, 404, 'not_found', 'no such page'));
  app.use(errorHandler(deps.logger));
  return app;
}
