import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { machineMs } from '../lib/clock.js';
import { announceReady, serveParent } from '../lib/parent.js';

/**
 * A load generator: holds real socket.io-client viewers (WebSocket transport) subscribed to
 * one pot and stamps, on the machine's monotonic clock, when each of them receives a reading.
 * The reading's `contributors` carries the sender's sequence number.
 */
interface ConnectRequest {
  /** Viewers of one server are kept apart from those of another. */
  pool: string;
  url: string;
  potId: string;
  count: number;
  concurrency: number;
  /** A Socket.IO parser package the server uses too, instead of the default one. */
  parser?: string;
}

const localAddress = process.env.BENCH_LOCAL_ADDRESS;
const options: Partial<ManagerOptions & SocketOptions> = {
  transports: ['websocket'],
  forceNew: true,
  reconnection: false,
  timeout: 20_000,
  ...(localAddress ? { localAddress } : {}),
};
const parsers = new Map<string, ManagerOptions['parser']>();
async function optionsFor(parserPackage: string | undefined): Promise<Partial<ManagerOptions & SocketOptions>> {
  if (!parserPackage) return options;
  if (!parsers.has(parserPackage)) {
    parsers.set(parserPackage, ((await import(parserPackage)) as { default: ManagerOptions['parser'] }).default);
  }
  return { ...options, parser: parsers.get(parserPackage) };
}

const pools = new Map<string, Socket[]>();
let received = new Map<number, number[]>();
let disconnects = 0;

const onReading = (event: { contributors: number }) => {
  const at = machineMs();
  let times = received.get(event.contributors);
  if (!times) received.set(event.contributors, (times = []));
  times.push(at);
};

function connectOne(
  sockets: Socket[],
  url: string,
  potId: string,
  socketOptions: Partial<ManagerOptions & SocketOptions>,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = io(url, socketOptions);
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
    socket.once('connect', () => {
      socket.timeout(20_000).emit('subscribe', { potId }, (error: Error | null, answer: { ok: boolean }) => {
        if (error) return reject(new Error(`no answer to subscribe: ${error.message}`));
        if (!answer.ok) return reject(new Error(`subscribe refused: ${JSON.stringify(answer)}`));
        socket.on('reading', onReading);
        socket.on('disconnect', () => disconnects++);
        sockets.push(socket);
        resolve();
      });
    });
  });
}

async function connect({ pool, url, potId, count, concurrency, parser }: ConnectRequest) {
  const started = machineMs();
  const socketOptions = await optionsFor(parser);
  let sockets = pools.get(pool);
  if (!sockets) pools.set(pool, (sockets = []));
  let next = 0;
  let failed = 0;
  let firstError: string | undefined;
  const lane = async () => {
    while (next < count) {
      next++;
      try {
        await connectOne(sockets, url, potId, socketOptions);
      } catch (error) {
        failed++;
        firstError ??= String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { connected: sockets.length, failed, firstError, ms: machineMs() - started };
}

serveParent(
  {
    connect,
    begin: () => {
      received = new Map();
      disconnects = 0;
    },
    report: () => ({
      disconnects,
      received: new Map([...received].map(([seq, times]) => [seq, Float64Array.from(times)])),
    }),
  },
  () => {
    for (const sockets of pools.values()) for (const socket of sockets) socket.close();
  },
);
announceReady({ pid: process.pid });
