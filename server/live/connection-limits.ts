import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { Namespace, Server, ServerOptions } from 'socket.io';
import { clientAddressReader, type TrustProxy } from './client-address.js';
import { TokenBucket } from './token-bucket.js';

export interface LiveLimits {
  /** Open live connections one address may hold (an IPv6 /64 is one address). */
  maxConnectionsPerAddress: number;
  /** Events (subscribe, unsubscribe…) a connection may send per second, sustained… */
  eventsPerSecond: number;
  /** …and at once. A connection that goes on after this many refusals in a row is closed. */
  eventBurst: number;
  /** Bytes waiting to be sent to a connection (it does not read them) beyond which it is dropped. */
  maxQueuedBytes: number;
  /** Largest message a client may send. */
  maxMessageBytes: number;
  /** How often the queues are measured. */
  sweepMs: number;
}

/**
 * Generous on connections, because a newsroom or a mobile carrier puts many viewers behind
 * one address; tight on messages, because a viewer sends a handful of them per page.
 */
export const DEFAULT_LIVE_LIMITS: LiveLimits = {
  maxConnectionsPerAddress: 1000,
  eventsPerSecond: 10,
  eventBurst: 60,
  maxQueuedBytes: 1024 * 1024,
  maxMessageBytes: 16 * 1024,
  sweepMs: 1000,
};

/** An engine.io connection, with the queue engine.io keeps for it while its transport cannot write. */
interface EngineConnection {
  request: IncomingMessage;
  transport: unknown;
  close(discard?: boolean): void;
  once(event: 'close', listener: () => void): void;
}

interface EventBudget {
  bucket: TokenBucket;
  refusedInARow: number;
}

/**
 * Keeps one client from costing the others: a cap on connections per address (checked
 * before a connection opens), a token bucket on the events each connection sends, and a
 * bound on what may wait in memory for a client that stops reading its socket.
 */
export class LiveConnectionGuard {
  readonly limits: LiveLimits;
  private readonly addressOf: (req: IncomingMessage) => string;
  private readonly openByAddress = new Map<string, number>();
  private readonly connections = new Set<EngineConnection>();
  private readonly budgets = new WeakMap<object, EventBudget>();
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(
    limits: Partial<LiveLimits> | undefined,
    trustProxy: TrustProxy | undefined,
    private readonly logger: Logger,
  ) {
    this.limits = { ...DEFAULT_LIVE_LIMITS, ...limits };
    this.addressOf = clientAddressReader(trustProxy);
  }

  /** Options for the Socket.IO server: refused handshakes never become connections. */
  serverOptions(): Partial<ServerOptions> {
    return {
      maxHttpBufferSize: this.limits.maxMessageBytes,
      allowRequest: (req, answer) => {
        const open = this.openByAddress.get(this.addressOf(req)) ?? 0;
        if (open >= this.limits.maxConnectionsPerAddress) {
          answer(`too many live connections from this address (at most ${this.limits.maxConnectionsPerAddress})`, false);
          return;
        }
        answer(null, true);
      },
    };
  }

  attach(io: Server): void {
    io.engine.on('connection', (connection: EngineConnection) => this.track(connection));
    this.limitEvents(io.of('/'));
    io.on('new_namespace', (namespace) => this.limitEvents(namespace));
    this.sweepTimer = setInterval(() => this.sweep(), this.limits.sweepMs);
    this.sweepTimer.unref();
  }

  /** Open connections from an address, as counted for the cap. */
  openConnections(address: string): number {
    return this.openByAddress.get(address) ?? 0;
  }

  close(): void {
    clearInterval(this.sweepTimer);
  }

  private track(connection: EngineConnection): void {
    const address = this.addressOf(connection.request);
    this.openByAddress.set(address, (this.openByAddress.get(address) ?? 0) + 1);
    this.connections.add(connection);
    connection.once('close', () => {
      this.connections.delete(connection);
      const left = (this.openByAddress.get(address) ?? 1) - 1;
      if (left > 0) this.openByAddress.set(address, left);
      else this.openByAddress.delete(address);
    });
  }

  /** One budget per connection, shared by its namespaces. */
  private limitEvents(namespace: Namespace): void {
    namespace.on('connection', (socket) => {
      socket.use((packet, next) => {
        let budget = this.budgets.get(socket.conn);
        if (!budget) {
          budget = { bucket: new TokenBucket(this.limits.eventsPerSecond, this.limits.eventBurst), refusedInARow: 0 };
          this.budgets.set(socket.conn, budget);
        }
        if (budget.bucket.take()) {
          budget.refusedInARow = 0;
          next();
          return;
        }
        budget.refusedInARow++;
        if (budget.refusedInARow > this.limits.eventBurst) {
          this.logger.warn({ address: this.addressOf(socket.request) }, 'closed a live connection that kept sending past its rate limit');
          drop(socket.conn as unknown as EngineConnection);
          return;
        }
        const ack: unknown = packet[packet.length - 1];
        if (typeof ack === 'function') {
          ack({
            ok: false,
            error: { code: 'rate_limited', message: `too many messages: at most ${this.limits.eventsPerSecond} per second` },
          });
        }
      });
    });
  }

  private sweep(): void {
    for (const connection of this.connections) {
      const queued = queuedBytes(connection, this.limits.maxQueuedBytes);
      if (queued <= this.limits.maxQueuedBytes) continue;
      this.logger.warn(
        { address: this.addressOf(connection.request), queuedBytes: queued },
        'dropped a live connection that does not read its messages',
      );
      drop(connection);
    }
  }
}

/**
 * Bytes waiting for a connection, counted up to a little over `limit`: the packets engine.io
 * holds while the transport cannot write, and what the WebSocket has not handed to the kernel.
 */
function queuedBytes(connection: EngineConnection, limit: number): number {
  const { writeBuffer } = connection as unknown as { writeBuffer?: Array<{ data?: unknown }> };
  let bytes = webSocketOf(connection)?.bufferedAmount ?? 0;
  for (const packet of writeBuffer ?? []) {
    if (bytes > limit) break;
    const { data } = packet;
    bytes += typeof data === 'string' ? data.length : Buffer.isBuffer(data) ? data.length : 8;
  }
  return bytes;
}

/** Closes at once, dropping what is queued; a WebSocket's TCP socket is not left to linger. */
function drop(connection: EngineConnection): void {
  const webSocket = webSocketOf(connection);
  connection.close(true);
  webSocket?.terminate();
}

function webSocketOf(connection: EngineConnection): { bufferedAmount: number; terminate(): void } | undefined {
  const socket = (connection.transport as { socket?: { bufferedAmount?: unknown; terminate?: unknown } } | undefined)?.socket;
  return socket && typeof socket.bufferedAmount === 'number' && typeof socket.terminate === 'function'
    ? (socket as { bufferedAmount: number; terminate(): void })
    : undefined;
}
