import { createServer, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { listenOnLoopback } from './loopback-server.js';

/** What a failing platform does to a request. */
export type Fault =
  | { kind: 'good'; amount: number; count: number }
  /** The connection is cut before any answer. */
  | { kind: 'reset-before' }
  /** Headers and half a body, then the connection is cut. */
  | { kind: 'reset-mid-body' }
  /** Headers, then a byte now and then, forever. */
  | { kind: 'trickle' }
  /** Accepts the request and never answers. */
  | { kind: 'hang' }
  /** More than 5 MiB, streamed without a length. */
  | { kind: 'oversize' }
  /** Claims a body of 10 GB. */
  | { kind: 'huge-length' }
  /** Redirects to a page that redirects to itself. */
  | { kind: 'redirect-loop' }
  | { kind: 'status'; status: 500 | 502 | 503 | 504 }
  /** Bytes that are not what was asked for, answered 200. */
  | { kind: 'garbage'; bytes: Uint8Array };

export interface FaultySource {
  url: string;
  /** Faults served so far, in order. */
  served: Fault[];
  /** Answers the next requests with these, in order; once they are used up, the last good answer again. */
  plan(faults: Fault[]): void;
  /** Connections the source still has open. */
  openConnections(): number;
  close(): Promise<void>;
}

/** A local HTTP server that answers a JSON pot API, or fails in a scripted way. */
export async function startFaultySource(): Promise<FaultySource> {
  let queue: Fault[] = [];
  let lastGood: Fault = { kind: 'good', amount: 0, count: 0 };
  const served: Fault[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const every = (ms: number, action: () => void) => {
    const timer = setInterval(action, ms);
    timers.add(timer);
    return timer;
  };
  const good = (res: ServerResponse, fault: Extract<Fault, { kind: 'good' }>) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ data: { amount: fault.amount, count: fault.count } }));
  };

  const server = createServer((req, res) => {
    if (req.url?.startsWith('/loop')) {
      res.writeHead(302, { location: '/loop' });
      return void res.end();
    }
    const fault = queue.shift() ?? lastGood;
    served.push(fault);
    switch (fault.kind) {
      case 'good':
        lastGood = fault;
        return good(res, fault);
      case 'reset-before':
        return req.socket.destroy();
      case 'reset-mid-body':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"data": {"amount": 12');
        return void setTimeout(() => req.socket.destroy(), 10);
      case 'trickle': {
        res.writeHead(200, { 'content-type': 'application/json' });
        const timer = every(50, () => res.write(' '));
        res.on('close', () => {
          clearInterval(timer);
          timers.delete(timer);
        });
        return;
      }
      case 'hang':
        return;
      case 'oversize': {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(256 * 1024, 0x20);
        let sent = 0;
        const pump = () => {
          while (sent < 6 * 1024 * 1024 && !res.destroyed) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        return pump();
      }
      case 'huge-length':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(10 * 1024 ** 3) });
        return void res.write('{');
      case 'redirect-loop':
        res.writeHead(302, { location: '/loop' });
        return void res.end();
      case 'status':
        res.writeHead(fault.status, { 'content-type': 'text/html' });
        return void res.end(`<h1>${fault.status}</h1>`);
      case 'garbage':
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end(Buffer.from(fault.bytes));
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const listening = await listenOnLoopback(server);
  return {
    url: listening.url,
    served,
    plan(faults) {
      queue = [...faults];
    },
    openConnections: () => sockets.size,
    async close() {
      for (const timer of timers) clearInterval(timer);
      await listening.close();
    },
  };
}
