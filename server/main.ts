import cluster from 'node:cluster';
import { startClusterPrimary, WORKER_INDEX_ENV, WORKER_READY } from './cluster.js';
import { loadPotsFile, PotsFileError } from './config/pots-file.js';
import { readSettings, SettingsError } from './config/settings.js';
import type { AdapterChoice } from './live/adapter.js';
import { createLogger } from './logger.js';
import { startPotwatch } from './potwatch.js';

async function main(): Promise<void> {
  let settings;
  let pots;
  try {
    settings = readSettings();
    pots = settings.configPath ? loadPotsFile(settings.configPath) : [];
  } catch (error) {
    if (error instanceof SettingsError || error instanceof PotsFileError) {
      process.stderr.write(`potwatch: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const baseLogger = createLogger(settings.logLevel);
  if (settings.clusterWorkers > 1 && cluster.isPrimary) {
    const primary = await startClusterPrimary(settings, baseLogger);
    const stopCluster = (signal: string) => {
      baseLogger.info({ signal }, 'shutting down the cluster');
      setTimeout(() => process.exit(1), 10_000).unref();
      primary.stop().then(() => process.exit(0));
    };
    process.once('SIGTERM', () => stopCluster('SIGTERM'));
    process.once('SIGINT', () => stopCluster('SIGINT'));
    return;
  }
  const workerIndex = cluster.isWorker ? Number(process.env[WORKER_INDEX_ENV]) : 0;
  const logger = cluster.isWorker ? baseLogger.child({ worker: workerIndex }) : baseLogger;
  const adapter: AdapterChoice = settings.redisUrl
    ? { kind: 'redis', url: settings.redisUrl }
    : cluster.isWorker
      ? { kind: 'cluster' }
      : { kind: 'memory' };
  const server = await startPotwatch({
    databasePath: settings.databasePath,
    port: settings.port,
    host: settings.host,
    pots,
    demo: settings.demo,
    trustProxy: settings.trustProxy,
    liveLimits: settings.liveLimits,
    logger,
    role: settings.role,
    // One process per machine group runs the pollers and replays: the `all` process, or its first worker.
    runSources: settings.role === 'all' && workerIndex <= 1,
    adapter,
    clusterWorker: cluster.isWorker,
    metricsToken: settings.metricsToken ?? undefined,
    sourcesAllowHosts: settings.sourcesAllowHosts,
    renderer: { executablePath: settings.chromiumPath },
    alerts: { smtp: settings.smtp ?? undefined, publicUrl: settings.publicUrl ?? undefined },
  });
  if (cluster.isWorker) process.send?.({ type: WORKER_READY });

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    const forced = setTimeout(() => process.exit(1), 10_000);
    forced.unref();
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`potwatch: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
