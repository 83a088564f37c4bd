import path from 'node:path';
import { pino } from 'pino';
import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/events.js';
import type { PotConfig } from '../../shared/pot-config.js';
import { signBody, SIGNATURE_HEADER } from '../../server/ingest/webhook.js';
import { startPotwatch, type PotwatchOptions, type RunningPotwatch } from '../../server/potwatch.js';
import { makeTempDir } from './temp-dir.js';

export const WEBHOOK_SECRET = 'test-secret-0123456789abcdef';

export function webhookPot(id: string, overrides: Partial<PotConfig> = {}): PotConfig {
  return {
    id,
    title: `Pot ${id}`,
    currency: 'EUR',
    goal: undefined,
    goalMinor: undefined,
    platform: undefined,
    source: { kind: 'webhook', secret: WEBHOOK_SECRET, staleAfterSeconds: 900 },
    ...overrides,
  };
}

export interface TestServer extends RunningPotwatch {
  databasePath: string;
  /** Stops the server and deletes its folder. */
  dispose(): Promise<void>;
}

/** A real server on an ephemeral loopback port, with its own SQLite file in a temp folder. */
export async function startTestServer(
  options: Partial<PotwatchOptions> & { pots: PotConfig[] },
  databasePath?: string,
): Promise<TestServer> {
  const temp = databasePath ? undefined : makeTempDir();
  const file = databasePath ?? path.join(temp!.dir, 'potwatch.db');
  const server = await startPotwatch({
    databasePath: file,
    port: 0,
    host: '127.0.0.1',
    demo: false,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    ...options,
  });
  return {
    ...server,
    databasePath: file,
    async dispose() {
      await server.close();
      temp?.remove();
    },
  };
}

export async function postReadings(
  baseUrl: string,
  potId: string,
  body: unknown,
  secret = WEBHOOK_SECRET,
): Promise<{ status: number; json: any }> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const response = await fetch(`${baseUrl}/api/pots/${potId}/readings`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', [SIGNATURE_HEADER]: signBody(raw, secret) },
    body: raw,
  });
  return { status: response.status, json: await response.json().catch(() => null) };
}

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export async function connectViewer(
  baseUrl: string,
  transports: Array<'websocket' | 'polling'> = ['websocket'],
): Promise<TestSocket> {
  const socket: TestSocket = connect(baseUrl, { transports, forceNew: true, reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Resolves with the first event matching `accept`, or fails after `timeoutMs`. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: TestSocket,
  event: E,
  accept: (payload: Parameters<ServerToClientEvents[E]>[0]) => boolean = () => true,
  timeoutMs = 5000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener as never);
      reject(new Error(`no matching "${String(event)}" event within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (payload: Parameters<ServerToClientEvents[E]>[0]) => {
      if (!accept(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener as never);
      resolve(payload);
    };
    socket.on(event, listener as never);
  });
}
