import { loadPotsFile, PotsFileError } from './config/pots-file.js';
import { readSettings, SettingsError } from './config/settings.js';
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
  const logger = createLogger(settings.logLevel);
  const server = await startPotwatch({
    databasePath: settings.databasePath,
    port: settings.port,
    host: settings.host,
    pots,
    demo: settings.demo,
    trustProxy: settings.trustProxy,
    liveLimits: settings.liveLimits,
    logger,
  });

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
