import { pino } from 'pino';
import { potConfigSchema } from '../../shared/pot-config.js';
import { startPotwatch } from '../../server/potwatch.js';
import { announceReady, serveParent } from '../lib/parent.js';
import { processUsage } from './usage.js';

/** The real Potwatch server, alone in its process, on a loopback port. */
const databasePath = process.env.BENCH_DATABASE!;
const pots = JSON.parse(process.env.BENCH_POTS!).map((pot: unknown) => potConfigSchema.parse(pot));

const server = await startPotwatch({
  databasePath,
  port: 0,
  host: '127.0.0.1',
  pots,
  demo: false,
  // The load generators open thousands of connections from a handful of loopback addresses.
  liveLimits: { maxConnectionsPerAddress: 1_000_000 },
  logger: pino({ level: 'warn' }),
});
serveParent({ usage: () => processUsage(true), cpu: () => processUsage(false) }, () => server.close());
announceReady({ port: server.port, pid: process.pid });
