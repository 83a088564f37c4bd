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

const VIEWER_SETUP_TIMEOUT_MS = 20_000;

/** One viewer, connected and subscribed, or a rejection that says what went wrong. */
function connectOne(
  sockets: Socket[],
  url: string,
  potId: string,
  socketOptions: Partial<ManagerOptions & SocketOptions>,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = io(url, socketOptions);
    const fail = (reason: string) => {
      clearTimeout(timer);
      socket.close();
      reject(new Error(reason));
    };
    const timer = setTimeout(
      () => fail(`not subscribed within ${VIEWER_SETUP_TIMEOUT_MS} ms (engine ${socket.io.engine?.readyState ?? 'none'})`),
      VIEWER_SETUP_TIMEOUT_MS,
    );
    socket.once('connect_error', (error) => fail(`connect_error: ${error.message}`));
    socket.once('disconnect', (reason) => fail(`disconnected while subscribing: ${reason}`));
    socket.once('connect', () => {
      socket.emit('subscribe', { potId }, (answer: { ok: boolean }) => {
        if (!answer.ok) return fail(`subscribe refused: ${JSON.stringify(answer)}`);
        clearTimeout(timer);
        socket.removeAllListeners('disconnect');
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
    // A benchmark whose viewers cannot connect is void: stop at the first failure and say why.
    while (next < count && failed === 0) {
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
