import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { AddressPolicy } from '../address-policy.js';

export interface PolicyProxy {
  /** `http://127.0.0.1:<port>`, for Chromium's proxy setting. */
  url: string;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['proxy-connection', 'proxy-authorization', 'connection', 'keep-alive']);

/**
 * An HTTP proxy on loopback through which the headless Chromium reaches pages of sources made
 * through the API. It dials only the addresses the policy allows, resolving names itself, so
 * that nothing a page does (a frame, a preconnect, a WebSocket, a name that resolves to
 * another address later) opens a connection to this machine or its network: routes in the
 * browser see requests, not the connections Chromium opens before them.
 */
export async function startPolicyProxy(policy: AddressPolicy): Promise<PolicyProxy> {
  const server = createServer((req, res) => void forward(req, res, policy));
  server.on('connect', (req: IncomingMessage, client: Duplex, head: Buffer) => void tunnel(req, client, head, policy));
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A plain-http request in absolute form (`GET http://host/path`). */
async function forward(req: IncomingMessage, res: ServerResponse, policy: AddressPolicy): Promise<void> {
  let target: URL;
  try {
    target = new URL(req.url ?? '');
  } catch {
    res.writeHead(400).end();
    return;
  }
  const resolved = target.protocol === 'http:' ? await policy.resolve(target.hostname) : { refused: 'only http goes through here' };
  if ('refused' in resolved) {
    res.writeHead(403, { 'Content-Type': 'text/plain' }).end(resolved.refused);
    return;
  }
  const upstream = httpRequest(
    {
      host: resolved.address,
      family: resolved.family,
      port: target.port || 80,
      method: req.method,
      path: `${target.pathname}${target.search}`,
      headers: endToEnd(req.headers),
      agent: false,
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  res.on('close', () => upstream.destroy());
  req.pipe(upstream);
}

/** A `CONNECT host:port` tunnel (https, WebSockets). */
async function tunnel(req: IncomingMessage, client: Duplex, head: Buffer, policy: AddressPolicy): Promise<void> {
  client.on('error', () => client.destroy());
  const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(req.url ?? '');
  const resolved = match ? await policy.resolve(match[1]!) : { refused: 'not host:port' };
  if ('refused' in resolved) {
    client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    return;
  }
  const upstream: Socket = connect({ host: resolved.address, family: resolved.family, port: Number(match![2]) }, () => {
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
  client.on('close', () => upstream.destroy());
}

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}
