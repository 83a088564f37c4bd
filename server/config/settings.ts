import { existsSync } from 'node:fs';
import path from 'node:path';
import type { LiveLimits } from '../live/connection-limits.js';

export interface Settings {
  port: number;
  host: string;
  databasePath: string;
  /** Pots file to read, or null when there is none. */
  configPath: string | null;
  /** Serve the built-in replay pot: true, false, or null for "only when no pots are configured". */
  demo: boolean | null;
  logLevel: string;
  /** Express "trust proxy" from TRUST_PROXY: a hop count, true, or addresses/subnets. */
  trustProxy?: boolean | number | string;
  /** Limits of the live channel set in the environment; the others keep their default. */
  liveLimits: Partial<LiveLimits>;
}

export class SettingsError extends Error {}

const DEFAULT_CONFIG_FILE = 'potwatch.config.json';

export function readSettings(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Settings {
  const portText = env.PORT ?? '3000';
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) {
    throw new SettingsError(`PORT must be a port number from 0 to 65535, got "${portText}"`);
  }
  const demoText = env.POTWATCH_DEMO;
  if (demoText !== undefined && demoText !== '' && demoText !== '0' && demoText !== '1') {
    throw new SettingsError(`POTWATCH_DEMO must be 0 or 1, got "${demoText}"`);
  }
  let configPath: string | null = null;
  if (env.POTWATCH_CONFIG) {
    configPath = path.resolve(cwd, env.POTWATCH_CONFIG);
    if (!existsSync(configPath)) throw new SettingsError(`POTWATCH_CONFIG points to ${configPath}, which does not exist`);
  } else if (existsSync(path.resolve(cwd, DEFAULT_CONFIG_FILE))) {
    configPath = path.resolve(cwd, DEFAULT_CONFIG_FILE);
  }
  return {
    port: Number(portText),
    host: env.HOST || '127.0.0.1',
    databasePath: path.resolve(cwd, env.DATABASE_PATH || './data/potwatch.db'),
    configPath,
    demo: demoText === '1' ? true : demoText === '0' ? false : null,
    logLevel: env.LOG_LEVEL || 'info',
    ...(env.TRUST_PROXY ? { trustProxy: parseTrustProxy(env.TRUST_PROXY) } : {}),
    liveLimits: readLiveLimits(env),
  };
}

/** Variable, the limit it sets, and the unit it is written in. */
const LIVE_LIMIT_VARIABLES: ReadonlyArray<readonly [string, keyof LiveLimits, number]> = [
  ['LIVE_MAX_CONNECTIONS_PER_IP', 'maxConnectionsPerAddress', 1],
  ['LIVE_EVENTS_PER_SECOND', 'eventsPerSecond', 1],
  ['LIVE_EVENT_BURST', 'eventBurst', 1],
  ['LIVE_MAX_QUEUED_KB', 'maxQueuedBytes', 1024],
  ['LIVE_MAX_MESSAGE_KB', 'maxMessageBytes', 1024],
];

function readLiveLimits(env: NodeJS.ProcessEnv): Partial<LiveLimits> {
  const limits: Partial<LiveLimits> = {};
  for (const [variable, limit, unit] of LIVE_LIMIT_VARIABLES) {
    const text = env[variable];
    if (!text) continue;
    if (!/^\d{1,7}$/.test(text) || Number(text) < 1) {
      throw new SettingsError(`${variable} must be a whole number of at least 1, got "${text}"`);
    }
    limits[limit] = Number(text) * unit;
  }
  return limits;
}

function parseTrustProxy(text: string): boolean | number | string {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (/^\d{1,2}$/.test(text)) return Number(text);
  return text;
}
