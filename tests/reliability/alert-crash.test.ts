import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MilestoneNotice } from '../../shared/alerts.js';
import { AlertsRepository } from '../../server/db/alerts-repository.js';
import { closeDatabase, openDatabase } from '../../server/db/database.js';
import { startAlertReceiver, type AlertReceiver } from '../helpers/alert-receiver.js';
import { startServerProcess, type ServerProcess } from '../helpers/processes.js';
import { postReadings, WEBHOOK_SECRET } from '../helpers/server.js';
import { recordFigures, soakIntensity, soakTimeout } from '../helpers/soak.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

const KILLS = 3 * soakIntensity();
const ALERT_SECRET = 'the-alert-secret-0123456789';
const BASE = Date.now() - 3_600_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('alert deliveries survive SIGKILL', () => {
  let server: ServerProcess | undefined;
  let receiver: AlertReceiver | undefined;
  let temp: ReturnType<typeof makeTempDir> | undefined;

  afterEach(async () => {
    await server?.kill();
    await receiver?.close();
    temp?.remove();
  });

  it(
    `delivers every queued milestone after ${KILLS} kills: each once per delivery id, in order, none lost`,
    async () => {
      temp = makeTempDir();
      // A slow receiver: deliveries are always waiting or under way when the server is killed.
      receiver = await startAlertReceiver(() => ({ kind: 'slow', delayMs: 40 }));
      receiver.expectSecret(ALERT_SECRET);
      const config = path.join(temp.dir, 'pots.json');
      writeFileSync(config, JSON.stringify({ pots: [{ id: 'alpha', title: 'Alpha', source: { kind: 'webhook', secret: '${HOOK_SECRET}' } }] }));
      const databasePath = path.join(temp.dir, 'potwatch.db');
      const db = openDatabase(databasePath);
      new AlertsRepository(db).insert({
        kind: 'webhook',
        target: `${receiver.url}/hook`,
        secret: ALERT_SECRET,
        events: ['milestone'],
        pots: null,
        milestoneEvery: 1,
        createdBy: 'root',
        createdAt: Date.now(),
      });
      closeDatabase(db);
      const start = () =>
        startServerProcess({ POTWATCH_CONFIG: config, DATABASE_PATH: databasePath, HOOK_SECRET: WEBHOOK_SECRET, SOURCES_ALLOW_HOSTS: '127.0.0.1', LOG_LEVEL: 'info' });

      // Each acknowledged reading raises the pot by EUR 1, so passes one milestone.
      let acknowledgedEuros = 0;
      const send = async (count: number) => {
        for (let k = 0; k < count; k++) {
          const euros = acknowledgedEuros + 1;
          const answer = await postReadings(server!.url, 'alpha', { at: BASE + euros * 1000, amount: euros, contributors: euros });
          expect(answer.status).toBe(200);
          acknowledgedEuros = euros;
        }
      };
      server = await start();
      for (let kill = 0; kill < KILLS; kill++) {
        await send(30);
        // Killed while the receiver is still working through the queue.
        await sleep(100 + Math.random() * 300);
        expect(receiver.distinctIds().length).toBeLessThan(acknowledgedEuros);
        server.child.kill('SIGKILL');
        expect(await server.exited).toBe('SIGKILL');
        server = await start();
      }
      await send(10);
      await waitFor(() => receiver!.distinctIds().length >= acknowledgedEuros, 'every milestone', 30_000);
      await sleep(500);

      const firstArrivals = new Map<string, MilestoneNotice>();
      for (const entry of receiver.tries) {
        expect(entry.signed).toBe(true);
        if (!firstArrivals.has(entry.deliveryId)) firstArrivals.set(entry.deliveryId, entry.notice as MilestoneNotice);
        // A delivery sent again carries the same notice under the same id.
        expect(entry.notice).toEqual(firstArrivals.get(entry.deliveryId));
      }
      const milestones = [...firstArrivals.values()].map((notice) => notice.milestone);
      // Each milestone under exactly one delivery id, every one of them, first arrivals in order.
      expect(milestones).toEqual(Array.from({ length: acknowledgedEuros }, (_, k) => k + 1));
      // Sent twice only when a kill cut it between the send and its record: at most once per kill.
      const resent = receiver.tries.length - firstArrivals.size;
      expect(resent).toBeLessThanOrEqual(KILLS);
      recordFigures('alert-crash', { kills: KILLS, milestones: milestones.length, tries: receiver.tries.length, resent });
    },
    soakTimeout(150_000),
  );
});
