import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type ServerOptions } from 'socket.io';
import { announceReady, serveParent } from '../lib/parent.js';
import { processUsage } from './usage.js';

/**
 * The baseline: a bare Socket.IO server that does nothing else. Viewers subscribe to a room;
 * a POST's JSON body is broadcast to that room as a `reading`, as Potwatch would broadcast it,
 * but without signature check, validation, storage or coalescing.
 */
const options: Partial<ServerOptions> = { serveClient: false, perMessageDeflate: false };
const parserPackage = process.env.BENCH_PARSER;
if (parserPackage) options.parser = ((await import(parserPackage)) as { default: ServerOptions['parser'] }).default;
const httpServer = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const match = /^\/api\/pots\/([a-z0-9-]+)\/readings$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) {
      res.writeHead(404).end();
      return;
    }
    const reading = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    io.to(`pot:${match[1]}`).emit('reading', {
      potId: match[1],
      at: reading.at,
      amountMinor: Math.round(reading.amount * 100),
      contributors: reading.contributors,
    });
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"accepted":1,"duplicates":0}');
  });
});
const io = new Server(httpServer, options);
io.on('connection', (socket) => {
  socket.on('subscribe', (payload: { potId: string }, ack: (answer: unknown) => void) => {
    void socket.join(`pot:${payload.potId}`);
    ack({ ok: true, latest: null });
  });
});
await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
serveParent({ usage: () => processUsage(true), cpu: () => processUsage(false) }, () => new Promise<void>((resolve) => io.close(() => resolve())));
announceReady({ port: (httpServer.address() as AddressInfo).port, pid: process.pid });
