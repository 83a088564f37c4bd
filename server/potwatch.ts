import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../shared/events.js';
import { DEMO_POT } from './config/demo-pot.js';
import type { PotConfig } from './config/pot-config.js';
import { openDatabase, type Database } from './db/database.js';
import { PotsRepository } from './db/pots-repository.js';
import { ReadingsRepository } from './db/readings-repository.js';
import { createHttpApp } from './http/app.js';
import { watchExternalWrites } from './ingest/external-writes.js';
import { Ingest } from './ingest/ingest.js';
import { LiveConnectionGuard, type LiveLimits } from './live/connection-limits.js';
import { PotStates } from './live/pot-states.js';
import { Publisher, type PotwatchIo } from './live/publisher.js';
import { attachViewerHandlers } from './live/viewer-handlers.js';
import { createLogger } from './logger.js';
import { createModeration, type Moderation, type ModerationOptions } from './moderation/moderation.js';
import type { RunningSource } from './sources/source.js';
import { startSource } from './sources/start-source.js';

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
  trustProxy?: boolean | number | string;
  /** Per-address and per-connection limits of the live channel; unset ones keep their default. */
  liveLimits?: Partial<LiveLimits>;
  moderation?: ModerationOptions;
}

export interface RunningPotwatch {
  port: number;
  url: string;
  db: Database;
  io: PotwatchIo;
  httpServer: HttpServer;
  ingest: Ingest;
  states: PotStates;
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
  const withDemo = options.demo ?? options.pots.length === 0;
  const pots =
    withDemo && !options.pots.some((pot) => pot.id === DEMO_POT.id) ? [...options.pots, DEMO_POT] : options.pots;

  const db = openDatabase(options.databasePath, { busyTimeoutMs: BUSY_TIMEOUT_MS });
  new PotsRepository(db).sync(pots);
  const readings = new ReadingsRepository(db);
  const states = new PotStates(pots, readings);
  const ingest = new Ingest(db, readings, pots);

  // The app is created after Socket.IO, whose moderator channel the routes use.
  const httpServer = createServer((req, res) => app(req, res));
  const liveGuard = new LiveConnectionGuard(options.liveLimits, options.trustProxy, logger);
  const io: PotwatchIo = new Server<ClientToServerEvents, ServerToClientEvents>(httpServer, {
    serveClient: false,
    perMessageDeflate: false,
    ...liveGuard.serverOptions(),
  });
  liveGuard.attach(io);
  const moderation = createModeration(db, io, states, logger, options.moderation);
  const app = createHttpApp({
    db,
    readings,
    states,
    ingest,
    logger,
    moderation,
    trustProxy: options.trustProxy,
    clientDir: options.clientDir ?? DEFAULT_CLIENT_DIR,
  });
  const publisher = new Publisher(io, options.broadcastIntervalMs);
  attachViewerHandlers(io, states);

  const publishStatusChanges = () => {
    for (const potId of states.refreshStatuses()) publisher.status(potId, states.statusInfo(potId));
  };
  ingest.onCommitted((potId, inserted) => {
    const latest = states.recordReadings(potId, inserted);
    if (latest) publisher.reading(potId, latest);
    publishStatusChanges();
  });
  ingest.onCleared((potId) => states.clear(potId));
  ingest.onHeld((potId, reason) => {
    states.setHeld(potId, reason);
    publishStatusChanges();
  });
  const followGuard = () => {
    for (const potId of states.ids()) states.setHeld(potId, ingest.heldReason(potId));
  };
  followGuard();
  publishStatusChanges();
  const statusTimer = setInterval(publishStatusChanges, STATUS_CHECK_MS);
  const externalWrites = watchExternalWrites(db, STATUS_CHECK_MS, () => {
    for (const potId of states.ids()) {
      const latest = states.reload(potId, readings);
      if (latest) publisher.reading(potId, latest);
    }
    followGuard();
    publishStatusChanges();
  });

  const sources: RunningSource[] = [];
  for (const pot of pots) {
    const source = startSource({
      pot,
      logger: logger.child({ potId: pot.id, source: pot.source.kind }),
      latest: () => states.latest(pot.id),
      ingest: (batch) => ingest.submit(pot.id, batch),
      clear: () => ingest.clear(pot.id),
      reportFailure: (reason) => {
        states.setFailure(pot.id, reason);
        publishStatusChanges();
      },
      reportPaused: (reason) => {
        states.setPaused(pot.id, reason);
        publishStatusChanges();
      },
    });
    if (source) sources.push(source);
  }

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  logger.info({ url, pots: pots.map((pot) => pot.id), database: options.databasePath }, 'Potwatch is listening');

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      clearInterval(statusTimer);
      externalWrites.stop();
      liveGuard.close();
      for (const source of sources) source.stop();
      publisher.close();
      moderation.close();
      const closed = new Promise<void>((resolve) => {
        io.close(() => resolve());
      });
      httpServer.closeIdleConnections();
      const graceTimer = setTimeout(() => httpServer.closeAllConnections(), SHUTDOWN_GRACE_MS);
      await closed;
      clearTimeout(graceTimer);
      db.close();
      logger.info('Potwatch stopped');
    })();
    return closing;
  };

  return { port, url, db, io, httpServer, ingest, states, moderation, liveGuard, logger, close };
}
