import cluster from 'node:cluster';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { setupWorker } from '@socket.io/sticky';
import { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../shared/events.js';
import { createAlerts, type AlertsOptions } from './alerts/alerts.js';
import { withDemoPot } from './config/demo-pot.js';
import type { PotConfig } from '../shared/pot-config.js';
import type { PotwatchRole } from './config/settings.js';
import { ContributionsRepository } from './db/contributions-repository.js';
import { closeDatabase, openDatabase, type Database } from './db/database.js';
import { watchExternalWrites } from './db/external-writes.js';
import { PotsRepository } from './db/pots-repository.js';
import { ReadingsRepository } from './db/readings-repository.js';
import { createDetection } from './detect/detection.js';
import { AnnotationService } from './annotations/annotation-service.js';
import { AnnotationsRepository } from './db/annotations-repository.js';
import { REPLAYS } from './sources/scenarios/replays.js';
import { workerSessionId } from './cluster.js';
import { createHttpApp } from './http/app.js';
import { Ingest } from './ingest/ingest.js';
import { attachAdapter, type AdapterChoice } from './live/adapter.js';
import type { TrustProxy } from './live/client-address.js';
import { Coalescer } from './live/coalescer.js';
import { LiveConnectionGuard, type LiveLimits } from './live/connection-limits.js';
import { PotStates } from './live/pot-states.js';
import { Publisher, type PotwatchIo } from './live/publisher.js';
import { StateRelay } from './live/state-relay.js';
import { attachViewerHandlers } from './live/viewer-handlers.js';
import { createLogger } from './logger.js';
import { ClusterMetricsSource } from './metrics/cluster-metrics.js';
import { PotwatchMetrics } from './metrics/metrics.js';
import { createModeration, type Moderation, type ModerationOptions } from './moderation/moderation.js';
import { PotCatalog } from './pots/pot-catalog.js';
import { HeldReadingsService } from './ingest/held-readings.js';
import { PotService } from './pots/pot-service.js';
import { SecretRotationService } from './pots/secret-rotation.js';
import { SourceSupervisor } from './pots/source-supervisor.js';
import { AddressPolicy } from './sources/address-policy.js';
import { DEFAULT_RENDERER_OPTIONS, PageRenderer, type RendererOptions } from './sources/browser/page-renderer.js';

export const DEFAULT_CLIENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/client');

export interface PotwatchOptions {
  databasePath: string;
  port: number;
  host: string;
  pots: readonly PotConfig[];
  /** Add the built-in replay pot; by default only when no pot is configured. */
  demo?: boolean | null;
  clientDir?: string;
  logger?: Logger;
  /** Minimum time between two `reading` messages of one pot. */
  broadcastIntervalMs?: number;
  /** Express "trust proxy": which proxies' X-Forwarded-For/-Proto to believe (client address, https). */
  trustProxy?: TrustProxy;
  /** Per-address and per-connection limits of the live channel; unset ones keep their default. */
  liveLimits?: Partial<LiveLimits>;
  moderation?: ModerationOptions;
  /** Default `all`. */
  role?: PotwatchRole;
  /** Run the pots' pollers, replays and suggestion detection in this process; one process per deployment does. */
  runSources?: boolean;
  /** How this process reaches the others serving the same pots (default: it is alone). */
  adapter?: AdapterChoice;
  /** A cluster worker: the primary listens and hands connections over. */
  clusterWorker?: boolean;
  /** Bearer token for /metrics; without it only this machine may read them. */
  metricsToken?: string;
  /** Hosts (names or CIDR ranges) that sources made through the API may reach despite being local or private. */
  sourcesAllowHosts?: readonly string[];
  /** The headless Chromium that renders pages whose figures are drawn by script. */
  renderer?: Partial<RendererOptions>;
  /** E-mail, links and delivery timing of alerts. */
  alerts?: AlertsOptions;
}

export interface RunningPotwatch {
  port: number;
  url: string;
  db: Database;
  io: PotwatchIo;
  httpServer: HttpServer;
  /** The Express application behind `httpServer`. */
  app: Express;
  ingest: Ingest;
  states: PotStates;
  catalog: PotCatalog;
  renderer: PageRenderer;
  moderation: Moderation;
  liveGuard: LiveConnectionGuard;
  logger: Logger;
  close(): Promise<void>;
}

const STATUS_CHECK_MS = 1000;
/**
 * The driver is synchronous: a write waiting for another process's lock (a `cli import`
 * batch) holds up every viewer meanwhile, so the server waits briefly, then answers 503.
 */
const BUSY_TIMEOUT_MS = 250;
/** How long requests under way may take to finish when the server stops. */
const SHUTDOWN_GRACE_MS = 5000;

/** Starts the whole server: database, sources, HTTP API, pages and live updates. */
export async function startPotwatch(options: PotwatchOptions): Promise<RunningPotwatch> {
  const logger = options.logger ?? createLogger(process.env.LOG_LEVEL ?? 'info');
  const filePots = withDemoPot(options.pots, options.demo);

  const role = options.role ?? 'all';
  // One process of a deployment runs the pollers and replays, and follows every pot's readings
  // for suggestions (it hears of other processes' writes through the database).
  const leads = options.runSources ?? role === 'all';
  const adapterChoice = options.adapter ?? { kind: 'memory' };
  const db = openDatabase(role === 'fanout' ? ':memory:' : options.databasePath, { busyTimeoutMs: BUSY_TIMEOUT_MS });
  const potsRepository = new PotsRepository(db);
  const catalog = new PotCatalog(potsRepository, filePots, logger);
  const readings = new ReadingsRepository(db);
  const contributions = new ContributionsRepository(db);
  const states = new PotStates([], readings);
  const ingest = new Ingest(db, readings);
  const metrics = new PotwatchMetrics(states);
  ingest.onSubmitted((potId, result, seconds) => metrics.ingested(potId, result, seconds));

  // The app is created after Socket.IO, whose moderator channel the routes use.
  const httpServer = createServer((req, res) => app(req, res));
  let url = '';
  const liveGuard = new LiveConnectionGuard(options.liveLimits, options.trustProxy, logger);
  const io: PotwatchIo = new Server<ClientToServerEvents, ServerToClientEvents>(httpServer, {
    serveClient: false,
    perMessageDeflate: false,
    ...liveGuard.serverOptions(),
  });
  liveGuard.attach(io);
  const moderation = createModeration(db, io, states, logger, options.moderation);
  const annotations = new AnnotationService(db, new AnnotationsRepository(db), moderation.audit, io, moderation.now);
  const detection = createDetection(db, readings, [], moderation, io, logger);
  const policy = new AddressPolicy(options.sourcesAllowHosts);
  const renderer = new PageRenderer(logger.child({ concern: 'pages' }), { ...DEFAULT_RENDERER_OPTIONS, ...options.renderer });
  const potService = new PotService({
    catalog,
    repository: potsRepository,
    audit: moderation.audit,
    policy,
    db,
    status: (potId) => (states.has(potId) ? { ...states.statusInfo(potId), latest: states.latest(potId) } : undefined),
    now: moderation.now,
  });
  const alerts = createAlerts(
    { db, audit: moderation.audit, policy, states, ingest, suggestions: detection.repository, flags: moderation.flags, registry: metrics.registry, logger, serverUrl: () => url },
    options.alerts,
  );
  const app = createHttpApp({
    db,
    readings,
    states,
    ingest,
    logger,
    moderation,
    suggestions: detection,
    contributions,
    annotations,
    pots: potService,
    secrets: new SecretRotationService({ db, catalog, repository: potsRepository, audit: moderation.audit, now: moderation.now }),
    heldReadings: new HeldReadingsService(ingest, moderation.audit),
    pages: { renderer, policy },
    alerts: alerts.service,
    trustProxy: options.trustProxy,
    clientDir: options.clientDir ?? DEFAULT_CLIENT_DIR,
    role,
    metrics: options.clusterWorker ? new ClusterMetricsSource(metrics.registry) : metrics,
    metricsToken: options.metricsToken,
  });
  metrics.watchViewers(io);
  const detachAdapter = await attachAdapter(io, adapterChoice, logger);
  const publisher = new Publisher(io, options.broadcastIntervalMs, (event) => metrics.broadcast(event));
  attachViewerHandlers(io, states);

  const publishStatusChanges = () => {
    for (const potId of states.refreshStatuses()) {
      publisher.status(potId, states.statusInfo(potId));
      alerts.statusChanged(potId, states.statusInfo(potId));
    }
  };
  const relay =
    adapterChoice.kind === 'memory'
      ? undefined
      : new StateRelay(io, states, role === 'all', logger, {
          readings: (potId, latest) => {
            if (latest) publisher.reading(potId, latest);
            publishStatusChanges();
          },
          changed: publishStatusChanges,
          pot: (pot) => catalog.apply(pot),
          pots: () => catalog.all(),
        });
  // Detection never delays a broadcast: it runs on a later turn than the delivery the
  // publisher has just queued (the coalescer delivers on the next turn, in order).
  const detectAfterBroadcast = new Coalescer<true>(0, () => true, (potId) => detection.runner.follow(potId));
  ingest.onCommitted((potId, inserted) => {
    const latest = states.recordReadings(potId, inserted);
    if (latest) publisher.reading(potId, latest);
    relay?.readings(potId, inserted);
    publishStatusChanges();
    if (leads) detectAfterBroadcast.push(potId, true);
  });
  ingest.onCleared((potId) => {
    states.clear(potId);
    relay?.cleared(potId);
    detection.runner.reset(potId);
  });
  ingest.onHeld((potId, reason) => {
    states.setHeld(potId, reason);
    publishStatusChanges();
  });
  const followGuard = () => {
    for (const potId of states.ids()) states.setHeld(potId, ingest.heldReason(potId));
  };
  const supervisor = leads
    ? new SourceSupervisor({
        states,
        ingest,
        contributions,
        renderer,
        policy,
        logger,
        sourceStateChanged: (potId) => {
          relay?.source(potId, states.sourceState(potId));
          publishStatusChanges();
        },
      })
    : undefined;
  catalog.onChange((pot) => {
    relay?.pot(pot);
    states.track(pot);
    ingest.configure(pot.config);
    if (pot.archived) detection.runner.untrack(pot.config.id);
    else detection.runner.track(pot.config);
    states.setHeld(pot.config.id, ingest.heldReason(pot.config.id));
    const { source } = pot.config;
    if (source.kind === 'replay' && role !== 'fanout') annotations.ship(pot.config.id, `replay:${source.scenario}`, REPLAYS[source.scenario].annotations);
    supervisor?.sync(pot);
    publishStatusChanges();
  });
  catalog.load();
  const statusTimer = setInterval(publishStatusChanges, STATUS_CHECK_MS);
  const externalWrites = watchExternalWrites(db, STATUS_CHECK_MS, () => {
    catalog.refresh();
    annotations.forget();
    for (const potId of states.ids()) {
      const latest = states.reload(potId, readings);
      if (latest) publisher.reading(potId, latest);
      if (leads) detectAfterBroadcast.push(potId, true);
    }
    followGuard();
    publishStatusChanges();
  });
  const stopSnapshotRetries = relay && role === 'fanout' ? await loadSnapshotSoon(relay, logger) : () => {};

  if (leads) detection.runner.start();
  if (leads) alerts.startDelivering();

  if (options.clusterWorker) {
    io.engine.generateId = () => workerSessionId(cluster.worker!.id);
    setupWorker(io as unknown as Server);
  } else {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(options.port, options.host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
  }
  const port = options.clusterWorker ? options.port : (httpServer.address() as AddressInfo).port;
  url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  if (!options.clusterWorker) {
    logger.info(
      { url, pots: states.activeIds(), database: role === 'fanout' ? null : options.databasePath, role },
      'Potwatch is listening',
    );
  }

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      clearInterval(statusTimer);
      externalWrites.stop();
      stopSnapshotRetries();
      liveGuard.close();
      supervisor?.stopAll();
      await renderer.close();
      relay?.close();
      publisher.close();
      detectAfterBroadcast.close();
      moderation.close();
      await alerts.close();
      const closed = new Promise<void>((resolve) => {
        io.close(() => resolve());
      });
      httpServer.closeIdleConnections();
      const graceTimer = setTimeout(() => httpServer.closeAllConnections(), SHUTDOWN_GRACE_MS);
      await closed;
      clearTimeout(graceTimer);
      await detachAdapter();
      closeDatabase(db);
      logger.info('Potwatch stopped');
    })();
    return closing;
  };

  return { port, url, db, io, httpServer, app, ingest, states, catalog, renderer, moderation, liveGuard, logger, close };
}

/** A fan-out process starts from the state of a process that has the database, when one answers. */
async function loadSnapshotSoon(relay: StateRelay, logger: Logger): Promise<() => void> {
  if (await relay.loadSnapshot()) return () => {};
  logger.warn('no process with the database answered yet; pots stay empty until one does');
  const retry = setInterval(() => {
    void relay.loadSnapshot().then((loaded) => {
      if (loaded) {
        clearInterval(retry);
        logger.info('pot states received');
      }
    });
  }, 5000);
  return () => clearInterval(retry);
}
