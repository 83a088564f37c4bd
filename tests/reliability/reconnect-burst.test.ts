import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { io as connect } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for.js';
import { startServerProcess, type ServerProcess } from '../helpers/processes.js';
import { postReadings, WEBHOOK_SECRET, type TestSocket } from '../helpers/server.js';
import { recordFigures, soakIntensity, soakTimeout } from '../helpers/soak.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const VIEWERS = 500 * Math.min(soakIntensity(), 4);
const T0 = Date.now() - 3600_000;

describe('a crowd of viewers reconnecting at once after the server restarts', () => {
  let server: ServerProcess | undefined;
  let temp: ReturnType<typeof makeTempDir> | undefined;
  const viewers: TestSocket[] = [];

  afterEach(async () => {
    for (const viewer of viewers.splice(0)) viewer.disconnect();
    await server?.kill();
    server = undefined;
    temp?.remove();
  });

  it(
    `resubscribes all ${VIEWERS} viewers after a SIGKILL and a restart, and each receives the next reading`,
    async () => {
      temp = makeTempDir();
      const config = path.join(temp.dir, 'pots.json');
      writeFileSync(config, JSON.stringify({ pots: [{ id: 'alpha', title: 'Alpha', source: { kind: 'webhook', secret: WEBHOOK_SECRET } }] }));
      const env = {
        POTWATCH_CONFIG: config,
        DATABASE_PATH: path.join(temp.dir, 'potwatch.db'),
        // Every test viewer comes from 127.0.0.1.
        LIVE_MAX_CONNECTIONS_PER_IP: String(VIEWERS + 10),
        LOG_LEVEL: 'warn',
      };
      server = await startServerProcess({ ...env, LOG_LEVEL: 'info' });
      const { url } = server;
      const port = new URL(url).port;

      // Like the dashboard's LivePot: subscribe again on every (re)connection.
      const subscribedSince = new Map<TestSocket, number>();
      let generation = 0;
      const received = new Set<TestSocket>();
      for (let i = 0; i < VIEWERS; i++) {
        const viewer: TestSocket = connect(url, { transports: ['websocket'], forceNew: true });
        viewer.on('connect', () => {
          const at = generation;
          viewer.emit('subscribe', { potId: 'alpha' }, (answer) => {
            if (answer.ok) subscribedSince.set(viewer, at);
          });
        });
        viewer.on('reading', (event) => {
          if (event.contributors === 2) received.add(viewer);
        });
        viewers.push(viewer);
      }
      await waitFor(() => subscribedSince.size === VIEWERS, 'every viewer to subscribe', 20_000);
      expect((await postReadings(url, 'alpha', { at: T0, amount: 1, contributors: 1 })).status).toBe(200);

      generation = 1;
      server.child.kill('SIGKILL');
      await server.exited;
      const restartedAt = performance.now();
      server = await startServerProcess({ ...env, PORT: port, LOG_LEVEL: 'info' });
      expect(server.url).toBe(url);
      const resubscribed = () => [...subscribedSince.values()].filter((at) => at === 1).length;
      await waitFor(() => resubscribed() === VIEWERS, `all viewers to resubscribe (${resubscribed()} so far)`, 30_000);
      const allBackMs = performance.now() - restartedAt;

      const sent = performance.now();
      expect((await postReadings(url, 'alpha', { at: T0 + 60_000, amount: 2, contributors: 2 })).status).toBe(200);
      await waitFor(() => received.size === VIEWERS, `every viewer to receive the reading (${received.size} so far)`, 10_000);
      recordFigures('reconnect', {
        viewers: VIEWERS,
        allResubscribedMs: Math.round(allBackMs),
        allReceivedMs: Math.round(performance.now() - sent),
      });
    },
    soakTimeout(90_000),
  );
});
