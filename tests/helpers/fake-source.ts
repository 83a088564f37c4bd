import { createServer, type IncomingHttpHeaders } from 'node:http';
import { listenOnLoopback } from './loopback-server.js';

export interface FakeRequest {
  /** Date.now() when the request arrived. */
  at: number;
  headers: IncomingHttpHeaders;
}

export interface FakeResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Wait this long before answering (a slow platform). */
  delayMs?: number;
}

export type Responder = (request: FakeRequest, index: number) => FakeResponse;

export interface FakeSource {
  url: string;
  requests: FakeRequest[];
  /** Changes what the next requests get. */
  respond(responder: Responder): void;
  close(): Promise<void>;
}

/**
 * A real HTTP server on an ephemeral loopback port standing in for a pot page or a
 * crowdfunding API, answering what the test scripts and recording every request.
 */
export async function startFakeSource(responder: Responder): Promise<FakeSource> {
  let current = responder;
  const requests: FakeRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const request = { at: Date.now(), headers: req.headers };
    const index = requests.push(request) - 1;
    const answer = current(request, index);
    const send = () => {
      res.writeHead(answer.status ?? 200, answer.headers ?? {});
      res.end(answer.body ?? '');
    };
    if (!answer.delayMs) return send();
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!res.destroyed) send();
    }, answer.delayMs);
    timers.add(timer);
  });
  const listening = await listenOnLoopback(server);
  return {
    url: listening.url,
    requests,
    respond(next) {
      current = next;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      await listening.close();
    },
  };
}
