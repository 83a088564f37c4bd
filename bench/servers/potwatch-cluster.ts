import cluster from 'node:cluster';
import os from 'node:os';
import { pino } from 'pino';
import { startClusterPrimary, WORKER_INDEX_ENV, WORKER_READY } from '../../server/cluster.js';
import { potConfigSchema } from '../../shared/pot-config.js';
import { readSettings } from '../../server/config/settings.js';
import { startPotwatch } from '../../server/potwatch.js';
import { announceReady, serveParent } from '../lib/parent.js';
import { procUsage } from './proc-usage.js';

/** Potwatch in cluster mode (primary with sticky sessions, BENCH_WORKERS workers) on a loopback port. */
const logger = pino({ level: 'warn' });
const settings = {
  ...readSettings({ ...process.env, PORT: '0', HOST: '127.0.0.1', POTWATCH_DEMO: '0' }, os.tmpdir()),
  databasePath: process.env.BENCH_DATABASE!,
  clusterWorkers: Number(process.env.BENCH_WORKERS ?? 2),
};

if (cluster.isPrimary) {
  const primary = await startClusterPrimary(settings, logger);
  const pids = () => [process.pid, ...Object.values(cluster.workers ?? {}).map((worker) => worker!.process.pid!)];
  serveParent({ usage: () => procUsage(pids()), cpu: () => procUsage(pids()) }, () => primary.stop());
  announceReady({ port: primary.port, pid: process.pid });
} else {
  const workerIndex = Number(process.env[WORKER_INDEX_ENV]);
  await startPotwatch({
    databasePath: settings.databasePath,
    port: 0,
    host: '127.0.0.1',
    pots: JSON.parse(process.env.BENCH_POTS!).map((pot: unknown) => potConfigSchema.parse(pot)),
    demo: false,
    // The load generators open thousands of connections from a handful of loopback addresses.
    liveLimits: { maxConnectionsPerAddress: 1_000_000 },
    logger,
    runSources: workerIndex <= 1,
    adapter: { kind: 'cluster' },
    clusterWorker: true,
  });
  process.send?.({ type: WORKER_READY });
}
