import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { police2019Scenario } from '../../server/sources/scenarios/police-2019.js';
import { syntheticPot } from '../fixtures/synthetic/synthetic-pots.js';
import { runCli } from '../helpers/cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

describe('cli detect: suspicious intervals of a CSV history', () => {
  let temp: ReturnType<typeof makeTempDir>;

  beforeEach(() => {
    temp = makeTempDir();
  });

  afterEach(() => temp.remove());

  function csv(name: string, text: string): string {
    const file = path.join(temp.dir, name);
    writeFileSync(file, text);
    return file;
  }

  it('prints the replay pot night and backlog as a JSON array, and nothing else', async () => {
    const rows = police2019Scenario().steps.map(
      ({ reading }) => `${new Date(reading.at).toISOString()},${(reading.amountMinor / 100).toFixed(2)},${reading.contributors}`,
    );
    const run = await runCli(['detect', csv('police.csv', `at,amount,contributors\r\n${rows.join('\r\n')}\r\n`)]);
    expect(run.code).toBe(0);
    const suggestions = JSON.parse(run.stdout);
    expect(suggestions.map((s: { kind: string }) => s.kind)).toEqual(['freeze-catch-up', 'too-regular']);
    expect(suggestions[0]).toMatchObject({ from: '2019-01-09T13:19:00.000Z', kind: 'freeze-catch-up' });
    // The night began at 23:00 UTC; the detector places it within a quarter of an hour.
    expect(Math.abs(Date.parse(suggestions[1].from) - Date.parse('2019-01-09T23:00:00.000Z'))).toBeLessThanOrEqual(15 * 60_000);
    for (const suggestion of suggestions) {
      expect(Object.keys(suggestion)).toEqual(['from', 'to', 'kind', 'score', 'evidence']);
      expect(suggestion.to).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(suggestion.evidence.summary).toMatch(/\d/);
    }
    expect(suggestions[1].evidence.summary).not.toContain('€');
    expect(run.stderr).toBe('');
  });

  it('prints [] and exits 0 for an honest pot, whatever the column order and time format', async () => {
    const pot = syntheticPot(500_100, 'honest');
    const rows = pot.readings.map((r) => `${r.contributors},${r.at},${(r.amountMinor / 100).toFixed(2)}`);
    const run = await runCli(['detect', csv('honest.csv', `contributors,at,amount\n${rows.join('\n')}\n`), '--currency', 'EUR']);
    expect(run).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
  });

  it('exits 2 naming the line of a malformed file, with nothing on stdout', async () => {
    const file = csv('bad.csv', 'at,amount,contributors\n2019-01-08T09:00:00Z,10.00,1\n2019-01-08T09:01:00Z,12.5O,2\n');
    const run = await runCli(['detect', file]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/bad\.csv line 3: amount must be a decimal number/);

    const header = await runCli(['detect', csv('header.csv', 'time,amount,contributors\n')]);
    expect(header.code).toBe(2);
    expect(header.stderr).toMatch(/line 1: the header must be at,amount,contributors/);

    const missing = await runCli(['detect', path.join(temp.dir, 'nowhere.csv')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/does not exist/);
  });

  it('is listed in the help', async () => {
    const run = await runCli(['--help']);
    expect(run.stdout).toMatch(/detect FILE\.csv\s+prints the suspicious intervals/);
  });
});
