import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TrustProxy } from '../live/client-address.js';
import type { LiveLimits } from '../live/connection-limits.js';
import { AddressPolicy } from '../sources/address-policy.js';
import { DEFAULT_RENDERER_OPTIONS } from '../sources/browser/page-renderer.js';

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
  trustProxy?: TrustProxy;
  role: PotwatchRole;
  /** Worker processes of a Node cluster on this machine; 1 runs a single process. */
  clusterWorkers: number;
  /** Redis that links the processes of several machines, or null. */
  redisUrl: string | null;
  /** Bearer token that opens /metrics to other machines, or null for this machine only. */
  metricsToken: string | null;
  /** Limits of the live channel set in the environment; the others keep their default. */
  liveLimits: Partial<LiveLimits>;
  /** SOURCES_ALLOW_HOSTS: local or private hosts that sources made through the API may reach. */
  sourcesAllowHosts: string[];
  /** CHROMIUM_PATH: the headless Chromium for pages whose figures are drawn by script. */
  chromiumPath: string;
  /** SMTP_URL and SMTP_FROM: the mail server of e-mail alerts, or null when there is none. */
  smtp: { url: string; from: string } | null;
  /** POTWATCH_PUBLIC_URL: where readers reach the server, for the links that alerts carry. */
  publicUrl: string | null;
}

/**
 * `all`: database, API, webhooks, sources and viewers. `fanout`: viewers and pages only, with
 * the pots' state relayed from a process that has the database.
 */
export type PotwatchRole = 'all' | 'fanout';

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
  const role = env.POTWATCH_ROLE || 'all';
  if (role !== 'all' && role !== 'fanout') throw new SettingsError(`POTWATCH_ROLE must be all or fanout, got "${role}"`);
  const redisUrl = env.REDIS_URL || null;
  if (redisUrl !== null && !/^rediss?:\/\//.test(redisUrl)) {
    throw new SettingsError(`REDIS_URL must be a redis:// or rediss:// URL, got "${redisUrl}"`);
  }
  if (role === 'fanout' && redisUrl === null) {
    throw new SettingsError('POTWATCH_ROLE=fanout needs REDIS_URL: a fan-out process is fed by the ingest process through Redis');
  }
  const workersText = env.POTWATCH_CLUSTER_WORKERS || '1';
  if (workersText !== 'auto' && (!/^\d{1,3}$/.test(workersText) || Number(workersText) < 1)) {
    throw new SettingsError(`POTWATCH_CLUSTER_WORKERS must be a number of processes from 1, or auto, got "${workersText}"`);
  }
  const metricsToken = env.POTWATCH_METRICS_TOKEN || null;
  if (metricsToken !== null && metricsToken.length < 16) {
    throw new SettingsError('POTWATCH_METRICS_TOKEN must be at least 16 characters');
  }
  const sourcesAllowHosts = (env.SOURCES_ALLOW_HOSTS ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  try {
    AddressPolicy.fromList(env.SOURCES_ALLOW_HOSTS);
  } catch (error) {
    throw new SettingsError(`SOURCES_ALLOW_HOSTS: ${(error as Error).message}`);
  }
  const smtpUrl = env.SMTP_URL || null;
  if (smtpUrl !== null && !/^smtps?:\/\/[^/]/.test(smtpUrl)) {
    throw new SettingsError('SMTP_URL must be an smtp:// or smtps:// URL such as smtp://user:password@mail.example.org:587');
  }
  const publicUrl = env.POTWATCH_PUBLIC_URL || null;
  if (publicUrl !== null && !/^https?:\/\/[^/]/.test(publicUrl)) {
    throw new SettingsError(`POTWATCH_PUBLIC_URL must be an http:// or https:// URL, got "${publicUrl}"`);
  }
  return {
    port: Number(portText),
    host: env.HOST || '127.0.0.1',
    databasePath: path.resolve(cwd, env.DATABASE_PATH || './data/potwatch.db'),
    configPath,
    demo: demoText === '1' ? true : demoText === '0' ? false : null,
    logLevel: env.LOG_LEVEL || 'info',
    ...(env.TRUST_PROXY ? { trustProxy: parseTrustProxy(env.TRUST_PROXY) } : {}),
    role,
    clusterWorkers: workersText === 'auto' ? os.availableParallelism() : Number(workersText),
    redisUrl,
    metricsToken,
    liveLimits: readLiveLimits(env),
    sourcesAllowHosts,
    chromiumPath: env.CHROMIUM_PATH || DEFAULT_RENDERER_OPTIONS.executablePath,
    smtp: smtpUrl === null ? null : { url: smtpUrl, from: env.SMTP_FROM || `Potwatch <potwatch@${os.hostname()}>` },
    publicUrl,
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

function parseTrustProxy(text: string): TrustProxy {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (/^\d{1,2}$/.test(text)) return Number(text);
  return text;
}
