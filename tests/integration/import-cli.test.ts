import { writeFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { openDatabase, type Database } from '../../server/db/database.js';
import { PotsRepository } from '../../server/db/pots-repository.js';
import { QuarantineRepository } from '../../server/db/quarantine-repository.js';
import { ReadingsRepository } from '../../server/db/readings-repository.js';
import { CsvFormatError } from '../../server/ingest/csv-history.js';
import { importHistory } from '../../server/ingest/import-history.js';
import { Ingest } from '../../server/ingest/ingest.js';
import { runCli } from '../helpers/cli.js';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { connectViewer, nextEvent, startTestServer, webhookPot, WEBHOOK_SECRET } from '../helpers/server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const T0 = Date.UTC(2019, 0, 8, 9, 0);
const MINUTE = 60_000;

describe('cli import: history from a CSV file', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let env: NodeJS.ProcessEnv;

  beforeEach(() => {
    temp = makeTempDir();
    // Removed last, once a server the test ran on its database is gone.
    onTestFinished(temp.remove);
    const configPath = path.join(temp.dir, 'potwatch.config.json');
    writeFileSync(
      configPath,
      JSON.stringify({ pots: [{ id: 'alpha', title: 'Pot alpha', source: { kind: 'webhook', secret: WEBHOOK_SECRET } }] }),
    );
    env = { DATABASE_PATH: path.join(temp.dir, 'potwatch.db'), POTWATCH_CONFIG: configPath, POTWATCH_DEMO: '0' };
  });

  const cli = (...args: string[]) => runCli(args, env);

  function csv(name: string, text: string): string {
    const file = path.join(temp.dir, name);
    writeFileSync(file, text);
    return file;
  }

  function storedReadings(): number {
    const db = new BetterSqlite3(env.DATABASE_PATH!, { readonly: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM readings').get() as { n: number }).n;
    } finally {
      db.close();
    }
  }

  it('imports while the server runs, which shows the new readings to viewers, and a second run stores nothing twice', async () => {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')] }, env.DATABASE_PATH));
    const viewer = closeAfterTest(await connectViewer(server.url));
    await viewer.emitWithAck('subscribe', { potId: 'alpha' });
    const pushed = nextEvent(viewer, 'reading', (event) => event.at === T0 + 11_999 * MINUTE, 10_000);

    const file = csv('history.csv', history(12_000));
    const first = await cli('import', 'alpha', file);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ potId: 'alpha', rows: 12_000, accepted: 12_000, duplicates: 0, quarantined: 0 });
    expect(first.stderr).toMatch(/^Imported .* 12000 stored, 0 already there, 0 held for review/);
    expect(first.stderr).not.toContain('\r');

    expect(await pushed).toEqual({ potId: 'alpha', at: T0 + 11_999 * MINUTE, amountMinor: 5_999_525, contributors: 23_998 });
    const pot = await (await fetch(`${server.url}/api/pots/alpha`)).json();
    expect(pot.stats.readings).toBe(12_000);
    const series = await (await fetch(`${server.url}/api/pots/alpha/series?points=5000`)).json();
    expect(series.points[0]).toEqual([T0, 25, 0]);

    const again = await cli('import', 'alpha', file);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ rows: 12_000, accepted: 0, duplicates: 12_000 });
    expect(storedReadings()).toBe(12_000);
  });

  it('stops with exit 2 on a malformed line after more than a batch of good rows, and stores nothing', async () => {
    const run = await cli('import', 'alpha', csv('bad.csv', `${history(6000).trimEnd()}\n${T0 + 6000 * MINUTE},12.345,1\n`));
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`potwatch: ${path.join(temp.dir, 'bad.csv')} line 6002: amount has more than 2 decimal places for EUR; nothing was stored\n`);
    expect(run.stdout).toBe('');
    expect(storedReadings()).toBe(0);
  });

  it('refuses an unknown pot and bad usage with exit 2', async () => {
    const file = csv('h.csv', history(3));
    expect(await cli('import', 'nope', file)).toMatchObject({ code: 2, stderr: expect.stringContaining('there is no pot "nope"') });
    expect(await cli('import', 'alpha')).toMatchObject({ code: 2, stderr: expect.stringContaining('usage: import POT_ID FILE.csv') });
  });

});

describe('history import: reading the file and storing it', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let db: Database;
  let ingest: Ingest;
  const pot = webhookPot('alpha');

  beforeEach(() => {
    temp = makeTempDir();
    db = openDatabase(path.join(temp.dir, 'potwatch.db'));
    new PotsRepository(db).syncFilePots([pot]);
    ingest = new Ingest(db, new ReadingsRepository(db), [pot]);
  });

  afterEach(() => {
    db.close();
    temp.remove();
  });

  function csv(text: string): string {
    const file = path.join(temp.dir, 'history.csv');
    writeFileSync(file, text);
    return file;
  }

  const stored = () => (db.prepare('SELECT count(*) AS n FROM readings').get() as { n: number }).n;

  it('reads BOM, CRLF, quotes, blank lines and columns in any order, and resumes a partial import', async () => {
    const odd = `\uFEFFcontributors,at,amount\r\n0,"${new Date(T0).toISOString()}","0.25"\r\n\r\n2,${T0 + MINUTE},5.25\r\n`;
    expect(await importHistory({ ingest, pot, file: csv(odd) })).toMatchObject({ rows: 2, accepted: 2 });
    expect(await importHistory({ ingest, pot, file: csv(history(10)) })).toMatchObject({ rows: 10, accepted: 8, duplicates: 2 });
    expect(stored()).toBe(10);
  });

  it('reports progress through both passes', async () => {
    const seen: string[] = [];
    await importHistory({ ingest, pot, file: csv(history(25)), batchSize: 10, onProgress: (p) => seen.push(`${p.phase} ${p.rows}`) });
    expect(seen).toEqual(['checking 10', 'checking 20', 'checking 25', 'importing 10', 'importing 20', 'importing 25']);
  });

  it.each([
    ['a missing value', 'at,amount,contributors\n2019-01-08T09:00:00Z,12\n', 'line 2: expected 3 values (at,amount,contributors), found 2'],
    ['a date without offset', 'at,amount,contributors\n2019-01-08T09:00:00,12,1\n', 'line 2: at must be an ISO-8601 date-time with an offset'],
    ['fractional contributors', 'at,amount,contributors\n2019-01-08T09:00:00Z,12,1.5\n', 'line 2: contributors must be a whole number'],
    ['a negative amount', 'at,amount,contributors\n2019-01-08T09:00:00Z,-12,1\n', 'line 2: amount must not be negative'],
    ['an amount with a comma', 'at,amount,contributors\n2019-01-08T09:00:00Z,"1,5",1\n', 'line 2: amount must be a decimal number'],
    ['a wrong header', 'time,amount,count\n', 'line 1: the header must be at,amount,contributors'],
    ['an empty file', '', 'line 1: the file is empty'],
    ['an open quote', 'at,amount,contributors\n"2019-01-08T09:00:00Z,12,1\n', 'line 2: a quoted value is not closed'],
    ['a bad line after good ones', `${history(3)}\n2019-01-08T09:10:00Z,x,1\n`, 'line 6: amount must be a decimal number'],
  ])('refuses %s, naming the line, and stores nothing', async (_what, text, message) => {
    await expect(importHistory({ ingest, pot, file: csv(text) })).rejects.toThrow(CsvFormatError);
    await expect(importHistory({ ingest, pot, file: csv(text) })).rejects.toThrow(message);
    expect(stored()).toBe(0);
  });

  it('puts imported rows through the guard, keeping the line as the raw value', async () => {
    const lines = history(10).trimEnd().split('\n');
    lines[6] = `${T0 + 5 * MINUTE},999999.00,10`;
    expect(await importHistory({ ingest, pot, file: csv(`${lines.join('\n')}\n`) })).toMatchObject({
      rows: 10,
      accepted: 9,
      quarantined: 1,
    });
    expect(new QuarantineRepository(db).list('alpha')).toEqual([
      expect.objectContaining({ reasonCode: 'jump', status: 'discarded', origin: 'csv', raw: lines[6] }),
    ]);
  });
});

function history(rows: number, from = 0): string {
  const lines = ['at,amount,contributors'];
  for (let i = from; i < from + rows; i++) {
    const at = T0 + i * MINUTE;
    lines.push(`${i % 2 ? new Date(at).toISOString() : at},${i * 5}.25,${i * 2}`);
  }
  return `${lines.join('\n')}\n`;
}
