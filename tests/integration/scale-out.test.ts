import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { Client, PASSWORD } from '../helpers/moderation.js';
import { startRedis, startServerProcess, type RunningProcess } from '../helpers/processes.js';
import { connectViewer, nextEvent, postReadings, WEBHOOK_SECRET, type TestSocket } from '../helpers/server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const T0 = Date.UTC(2019, 0, 9, 22, 0);

function writePotsFile(dir: string): string {
  const file = path.join(dir, 'potwatch.config.json');
  writeFileSync(
    file,
    JSON.stringify({
      pots: [{ id: 'police', title: 'Police pot', currency: 'EUR', source: { kind: 'webhook', secret: '${SECRET}' } }],
    }),
  );
  return file;
}

describe('scale-out: separate server processes serving the same pot', () => {
  const running: RunningProcess[] = [];
  const sockets: TestSocket[] = [];
  let temp: ReturnType<typeof makeTempDir> | undefined;

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.disconnect();
    for (const process of running.splice(0).reverse()) await process.stop();
    temp?.remove();
  });

  it('relays a reading ingested by the ingest process through Redis to a viewer of a fan-out process', async () => {
    temp = makeTempDir();
    const redis = await startRedis();
    running.push(redis);
    const common = { REDIS_URL: redis.url, POTWATCH_CONFIG: writePotsFile(temp.dir), SECRET: WEBHOOK_SECRET };
    const databasePath = path.join(temp.dir, 'ingest.db');
    expect((await runCli(['user', 'add', 'ada', '--role', 'admin'], { DATABASE_PATH: databasePath, POTWATCH_PASSWORD: PASSWORD })).code).toBe(0);
    const ingest = await startServerProcess({ ...common, DATABASE_PATH: databasePath });
    running.push(ingest);
    expect(await postReadings(ingest.url, 'police', { at: T0, amount: 1000, contributors: 10 })).toEqual({
      status: 200,
      json: { accepted: 1, duplicates: 0 },
    });
    const admin = new Client(ingest.url);
    expect((await admin.signIn('ada')).status).toBe(200);
    await admin.enrolAuthenticator();
    const createPot = async (id: string) => {
      const created = await admin.request('POST', '/api/pots', { id, title: id, source: { kind: 'webhook' } });
      expect(created.status).toBe(201);
      return created.json.secret as string;
    };
    const earlySecret = await createPot('made-before');

    const fanout = await startServerProcess({ ...common, POTWATCH_ROLE: 'fanout' });
    running.push(fanout);
    const viewer = await connectViewer(fanout.url);
    sockets.push(viewer);
    // The fan-out process holds no database: it took the pot's state from the ingest process.
    expect(await viewer.emitWithAck('subscribe', { potId: 'police' })).toMatchObject({
      ok: true,
      pot: { id: 'police', status: 'live' },
      latest: { at: T0, amountMinor: 100000, contributors: 10 },
    });

    const relayed = nextEvent(viewer, 'reading', (event) => event.at === T0 + 60_000, 10_000);
    expect((await postReadings(ingest.url, 'police', { at: T0 + 60_000, amount: '1234.50', contributors: 12 })).status).toBe(200);
    expect(await relayed).toEqual({ potId: 'police', at: T0 + 60_000, amountMinor: 123450, contributors: 12 });

    const lateViewer = await connectViewer(fanout.url);
    sockets.push(lateViewer);
    expect(await lateViewer.emitWithAck('subscribe', { potId: 'police' })).toMatchObject({
      ok: true,
      latest: { at: T0 + 60_000, amountMinor: 123450, contributors: 12 },
    });
    // Polling readers too can be served by a fan-out process, from the state it was relayed.
    const live = await fetch(`${fanout.url}/api/pots/police/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toMatchObject({ potId: 'police', latest: { at: T0 + 60_000, amountMinor: 123450, contributors: 12 } });

    // Pots made through the API reach the fan-out process: in its starting snapshot, and live after.
    expect(await lateViewer.emitWithAck('subscribe', { potId: 'made-before' })).toMatchObject({ ok: true, pot: { id: 'made-before' } });
    const lateSecret = await createPot('made-after');
    await expect.poll(async () => (await lateViewer.emitWithAck('subscribe', { potId: 'made-after' })).ok).toBe(true);
    const fromLatePot = nextEvent(lateViewer, 'reading', (event) => event.potId === 'made-after', 10_000);
    expect((await postReadings(ingest.url, 'made-after', { at: T0, amount: 5, contributors: 1 }, lateSecret)).status).toBe(200);
    expect(await fromLatePot).toMatchObject({ potId: 'made-after', amountMinor: 500 });
    expect((await postReadings(ingest.url, 'made-before', { at: T0, amount: 7, contributors: 1 }, earlySecret)).status).toBe(200);

    // Webhooks and the API belong to the ingest process; a fan-out process stores nothing.
    const misrouted = await postReadings(fanout.url, 'police', { at: T0 + 120_000, amount: 2000, contributors: 13 });
    expect(misrouted).toMatchObject({ status: 421, json: { error: { code: 'not_served_here' } } });
    const series = await (await fetch(`${ingest.url}/api/pots/police/series`)).json();
    expect(series.points).toEqual([
      [T0, 100000, 10],
      [T0 + 60_000, 123450, 12],
    ]);
  });

  it('runs a Node cluster whose workers share live updates, over WebSocket and long-polling', async () => {
    temp = makeTempDir();
    const databasePath = path.join(temp.dir, 'cluster.db');
    expect((await runCli(['user', 'add', 'ada', '--role', 'admin'], { DATABASE_PATH: databasePath, POTWATCH_PASSWORD: PASSWORD })).code).toBe(0);
    const server = await startServerProcess({
      POTWATCH_CLUSTER_WORKERS: '2',
      POTWATCH_CONFIG: writePotsFile(temp.dir),
      SECRET: WEBHOOK_SECRET,
      DATABASE_PATH: databasePath,
    });
    running.push(server);
    const viewers = await Promise.all([
      connectViewer(server.url),
      connectViewer(server.url),
      connectViewer(server.url, ['polling']),
    ]);
    sockets.push(...viewers);
    for (const viewer of viewers) expect(await viewer.emitWithAck('subscribe', { potId: 'police' })).toMatchObject({ ok: true });

    // Several webhooks, each handled by whichever worker the primary picks, reach every viewer.
    for (let minute = 1; minute <= 3; minute++) {
      const at = T0 + minute * 60_000;
      const received = viewers.map((viewer) => nextEvent(viewer, 'reading', (event) => event.at === at, 10_000));
      expect((await postReadings(server.url, 'police', { at, amount: 1000 + minute, contributors: minute })).status).toBe(200);
      for (const event of await Promise.all(received)) expect(event).toMatchObject({ potId: 'police', at });
    }

    // A pot made through one worker is known to the other within a second or so (they share the database).
    const admin = new Client(server.url);
    expect((await admin.signIn('ada')).status).toBe(200);
    await admin.enrolAuthenticator();
    expect((await admin.request('POST', '/api/pots', { id: 'made-here', title: 'Made here', source: { kind: 'webhook' } })).status).toBe(201);
    for (const viewer of viewers) {
      await expect.poll(async () => (await viewer.emitWithAck('subscribe', { potId: 'made-here' })).ok, { timeout: 5000 }).toBe(true);
    }

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^potwatch_viewers_connected 3$/m);
    expect(metrics).toMatch(/^potwatch_readings_accepted_total\{pot="police"\} 3$/m);
  });
});
