import { writeFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { postReadings, WEBHOOK_SECRET } from '../helpers/server.js';
import { runServerExpectingFailure, startServerProcess, type ServerProcess } from '../helpers/processes.js';
import { makeTempDir } from '../helpers/temp-dir.js';

describe('the server process', () => {
  let running: ServerProcess | undefined;
  let temp: ReturnType<typeof makeTempDir> | undefined;

  afterEach(async () => {
    await running?.kill();
    running = undefined;
    temp?.remove();
  });

  it('reads pots from the config file, and stops cleanly on SIGTERM keeping what it acknowledged', async () => {
    temp = makeTempDir();
    const config = path.join(temp.dir, 'pots.json');
    writeFileSync(
      config,
      JSON.stringify({
        pots: [{ id: 'police-2019', title: 'Soutien', goal: 1000000, source: { kind: 'webhook', secret: '${HOOK_SECRET}' } }],
      }),
    );
    const databasePath = path.join(temp.dir, 'nested/folder/potwatch.db');
    running = await startServerProcess({ POTWATCH_CONFIG: config, DATABASE_PATH: databasePath, HOOK_SECRET: WEBHOOK_SECRET });

    const pots = await (await fetch(`${running.url}/api/pots`)).json();
    expect(pots.map((pot: { id: string }) => pot.id)).toEqual(['police-2019']);
    expect(running.output()).not.toContain(WEBHOOK_SECRET);
    const answer = await postReadings(running.url, 'police-2019', { at: '2019-01-10T02:14:00Z', amount: 812345.5, contributors: 31877 });
    expect(answer.json).toEqual({ accepted: 1, duplicates: 0 });

    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
    const db = new BetterSqlite3(databasePath, { readonly: true });
    expect(db.prepare('SELECT pot_id, at, amount_minor, contributors FROM readings').all()).toEqual([
      { pot_id: 'police-2019', at: Date.UTC(2019, 0, 10, 2, 14), amount_minor: 81234550, contributors: 31877 },
    ]);
    db.close();
  });

  it('serves the built-in replays when no pot is configured', async () => {
    temp = makeTempDir();
    running = await startServerProcess({ DATABASE_PATH: path.join(temp.dir, 'db.sqlite'), POTWATCH_CONFIG: '' }, 20_000);
    const pots = await (await fetch(`${running.url}/api/pots`)).json();
    expect(pots).toMatchObject([
      { id: 'police-2019-replay', source: { kind: 'replay', replay: true, platform: 'Leetchi' } },
      { id: 'dettinger-2019-replay', source: { kind: 'replay', replay: true, platform: 'Leetchi' } },
    ]);
    // Each carries the public events of January 2019 as annotations.
    const { annotations } = await (await fetch(`${running.url}/api/pots/police-2019-replay/annotations`)).json();
    expect(annotations.map((annotation: { label: { en: string } }) => annotation.label.en)).toContain('A DDoS-protection service is switched on');
  });

  it('refuses to start on an invalid pots file, naming the pot and the field', async () => {
    temp = makeTempDir();
    const config = path.join(temp.dir, 'pots.json');
    writeFileSync(
      config,
      JSON.stringify({ pots: [{ id: 'example-json', title: 'x', source: { kind: 'http-json', url: 'https://example.org', everySeconds: -5, amount: '/a', contributors: '/b' } }] }),
    );
    const { code, stderr } = await runServerExpectingFailure({ POTWATCH_CONFIG: config, DATABASE_PATH: path.join(temp.dir, 'db') });
    expect(code).toBe(1);
    expect(stderr).toContain('pot "example-json" (pots[0]), field source.everySeconds');
  });

  it('refuses a bad PORT with a clear message', async () => {
    temp = makeTempDir();
    const { code, stderr } = await runServerExpectingFailure({ PORT: 'eighty', DATABASE_PATH: path.join(temp.dir, 'db') });
    expect(code).toBe(1);
    expect(stderr).toContain('PORT must be a port number');
  });
});
