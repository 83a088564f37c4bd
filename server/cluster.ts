import cluster, { type Worker } from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setupPrimary } from '@socket.io/cluster-adapter';
import { setupMaster } from '@socket.io/sticky';
import type { Logger } from 'pino';
import type { Settings } from './config/settings.js';
import { closeDatabase, openDatabase } from './db/database.js';
import { serveClusterMetrics } from './metrics/cluster-metrics.js';

export const WORKER_INDEX_ENV = 'POTWATCH_WORKER_INDEX';
export const WORKER_READY = 'potwatch:worker-ready';

export interface RunningCluster {
  port: number;
  /** Stops accepting connections and stops every worker. */
  stop(): Promise<void>;
}

interface ReadableHandle {
  reading?: boolean;
  readStop?: () => number;
}

/**
 * @socket.io/sticky reads a connection's first chunk in the primary, then sends the socket's
 * handle to a worker. Until that send completes, the primary's handle is still open and
 * still reading, now into a no-op: when the worker answers quickly, the client's next bytes
 * (a WebSocket's first Socket.IO packet) can be read and dropped by the primary, and the
 * viewer hangs half connected. Stopping the primary's reads before the handle leaves leaves
 * those bytes in the kernel for the worker (net.Server's pauseOnConnect does the same for
 * connections handed over unread). Requests with a body stay with the primary, which
 * forwards their chunks, so those keep being read.
 */
function stopReadingHandedOverConnections(httpServer: Server): void {
  httpServer.on('connection', (socket: Socket) => {
    // Registered after sticky's own listener, and put before it: this runs first.
    socket.prependOnceListener('data', (chunk: Buffer) => {
      const header = chunk.subarray(0, chunk.indexOf('\r\n\r\n')).toString('latin1').toLowerCase();
      if (header.includes('content-length:') || header.includes('transfer-encoding:')) return;
      const handle = (socket as unknown as { _handle?: ReadableHandle })._handle;
      if (handle?.readStop) {
        handle.reading = false;
        handle.readStop();
      }
    });
  });
}

/** `w` + the worker's cluster id (3 base-36 digits) + `-` + 15 random characters: 20, as sticky expects. */
const WORKER_SESSION_ID = /sid=w([0-9a-z]{3})-[\w-]{15}/;

/**
 * A Socket.IO session id that names the worker holding the session. Installed as the engine's
 * id generator in each worker, so that the primary can route a session's requests without
 * waiting to hear of the session (see routeSessionsToTheirWorker).
 */
export function workerSessionId(workerId: number): string {
  return `w${workerId.toString(36).padStart(3, '0')}-${randomBytes(12).toString('base64url').slice(0, 15)}`;
}

/**
 * @socket.io/sticky learns which worker holds a session from a message the worker sends when
 * the session opens, while the worker answers the handshake itself: under load the client's
 * next long-polling request can reach the primary first, go to another worker and fail with
 * "Session ID unknown". The id names its worker, so the primary tells sticky before it routes.
 */
function routeSessionsToTheirWorker(httpServer: Server): void {
  httpServer.on('connection', (socket: Socket) => {
    socket.prependOnceListener('data', (chunk: Buffer) => {
      const match = WORKER_SESSION_ID.exec(chunk.subarray(0, chunk.indexOf('\r\n\r\n')).toString('latin1'));
      const worker = match && cluster.workers?.[parseInt(match[1]!, 36)];
      if (worker) cluster.emit('message', worker, { type: 'sticky:connection', data: match[0].slice('sid='.length) });
    });
  });
}

/**
 * The primary of a Node cluster: it listens, hands each connection to a worker (the same one
 * for every request of a Socket.IO session, which HTTP long-polling needs), links the workers'
 * Socket.IO servers and restarts a worker that dies. Worker 1 runs the sources.
 */
export async function startClusterPrimary(settings: Settings, logger: Logger): Promise<RunningCluster> {
  // Migrations run once, here, before the workers open the same SQLite file.
  if (settings.role === 'all') closeDatabase(openDatabase(settings.databasePath));

  // The primary hands over the first bytes of each connection as a Buffer.
  cluster.setupPrimary({ serialization: 'advanced' });
  const httpServer = createServer();
  setupMaster(httpServer, { loadBalancingMethod: 'least-connection' });
  stopReadingHandedOverConnections(httpServer);
  routeSessionsToTheirWorker(httpServer);
  setupPrimary();
  serveClusterMetrics();

  const indexOf = new Map<Worker, number>();
  let stopping = false;
  const fork = (index: number) => {
    const worker = cluster.fork({ [WORKER_INDEX_ENV]: String(index) });
    indexOf.set(worker, index);
    return worker;
  };
  cluster.on('exit', (worker, code, signal) => {
    const index = indexOf.get(worker)!;
    indexOf.delete(worker);
    if (stopping) return;
    logger.error({ worker: index, code, signal }, 'worker died, starting it again');
    setTimeout(() => fork(index), 1000);
  });

  const workers = Array.from({ length: settings.clusterWorkers }, (_, index) => fork(index + 1));
  await Promise.all(
    workers.map(
      (worker) =>
        new Promise<void>((resolve, reject) => {
          worker.on('message', (message: { type?: string }) => {
            if (message?.type === WORKER_READY) resolve();
          });
          worker.once('exit', (code) => reject(new Error(`worker ${indexOf.get(worker)} exited during start (code ${code})`)));
        }),
    ),
  );
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(settings.port, settings.host, resolve);
  });
  const { port } = httpServer.address() as AddressInfo;
  logger.info({ port, host: settings.host, workers: settings.clusterWorkers, role: settings.role }, 'Potwatch cluster is listening');

  const stop = async () => {
    stopping = true;
    httpServer.close();
    const exits = [...indexOf.keys()].map((worker) => new Promise((resolve) => worker.once('exit', resolve)));
    for (const worker of indexOf.keys()) worker.process.kill('SIGTERM');
    await Promise.all(exits);
  };
  return { port, stop };
}
