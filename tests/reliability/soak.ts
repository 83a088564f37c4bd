import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../server/db/database.js';
import { PotsRepository } from '../../server/db/pots-repository.js';
import { ReadingsRepository } from '../../server/db/readings-repository.js';
import { Ingest } from '../../server/ingest/ingest.js';
import { webhookPot } from '../helpers/server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

/**
 * `npm run soak`: the reliability and property tests at a higher intensity (POTWATCH_SOAK,
 * default 10: ten times the kills, runs and storms of `npm test`), then the figures they
 * measured, and what syncing webhook deliveries to disk costs on this machine.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const intensity = process.env.POTWATCH_SOAK ?? '10';
const temp = makeTempDir('potwatch-soak-');
const report = path.join(temp.dir, 'figures.jsonl');

function durabilityCost(): { durableMicros: number; normalMicros: number } {
  const db = openDatabase(path.join(temp.dir, 'durability.db'));
  const pot = webhookPot('alpha');
  new PotsRepository(db).syncFilePots([pot]);
  const ingest = new Ingest(db, new ReadingsRepository(db), [pot]);
  const at = Date.UTC(2019, 0, 8);
  let k = 0;
  const time = (durable: boolean, count: number) => {
    const started = performance.now();
    for (let i = 0; i < count; i++, k++) ingest.submit('alpha', { readings: [{ at: at + k, amountMinor: k, contributors: k }], durable });
    return ((performance.now() - started) * 1000) / count;
  };
  time(true, 200);
  time(false, 200);
  const result = { durableMicros: time(true, 2000), normalMicros: time(false, 2000) };
  db.close();
  return result;
}

const cost = durabilityCost();
const vitest = spawnSync(path.join(ROOT, 'node_modules/.bin/vitest'), ['run', 'tests/reliability', 'tests/property'], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, POTWATCH_SOAK: intensity, POTWATCH_SOAK_REPORT: report },
});

const records = existsSync(report)
  ? readFileSync(report, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown> & { section: string })
  : [];
const of = (section: string) => records.filter((record) => record.section === section);
const lines: string[] = [`Soak at POTWATCH_SOAK=${intensity}`, ''];
for (const crash of of('crash')) {
  lines.push(
    `crash safety: ${crash.kills} SIGKILLs, ${crash.senders} senders, ${crash.deliveries} delivery attempts: ` +
      `${crash.acknowledged} readings acknowledged, ${crash.stored} stored (each once); ` +
      `${crash.cut} deliveries cut by a kill, ${crash.refused} refused while down, ` +
      `${crash.committedButUnanswered} readings committed but unanswered, then found as duplicates on retry`,
  );
}
for (const reconnect of of('reconnect')) {
  lines.push(`reconnect burst: ${reconnect.viewers} viewers all resubscribed ${reconnect.allResubscribedMs} ms after the restart began, all had the next reading ${reconnect.allReceivedMs} ms after it was posted`);
}
const properties = of('property');
const totalRuns = properties.reduce((sum, record) => sum + Number(record.runs), 0);
lines.push(`property tests: ${totalRuns} generated inputs over ${properties.length} properties`);
for (const record of properties) lines.push(`  ${String(record.runs).padStart(7)}  ${record.name}`);
for (const record of of('faults')) lines.push(`fault: ${record.name} (${record.faults} injected${record.runs ? ` over ${record.runs} storms` : ''})`);
lines.push(
  `durability: a one-reading webhook transaction takes ${cost.durableMicros.toFixed(0)} µs synced (synchronous=FULL), ` +
    `${cost.normalMicros.toFixed(0)} µs unsynced (NORMAL), on this machine's disk`,
);
process.stdout.write(`\n${lines.join('\n')}\n`);
temp.remove();
process.exit(vitest.status ?? 1);
