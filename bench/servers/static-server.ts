import type { AddressInfo } from 'node:net';
import express from 'express';
import { announceReady, serveParent } from '../lib/parent.js';

/** The baseline of the throughput benchmark: express.static alone, serving the files of BENCH_STATIC_DIR. */
const app = express();
app.use(express.static(process.env.BENCH_STATIC_DIR!));
const server = app.listen(0, '127.0.0.1', () => {
  serveParent({}, () => new Promise<void>((resolve) => server.close(() => resolve())));
  announceReady({ port: (server.address() as AddressInfo).port });
});
