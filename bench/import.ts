import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import type { PotConfig } from '../shared/pot-config.js';
import { closeDatabase, openDatabase } from '../server/db/database.js';
import { PotsRepository } from '../server/db/pots-repository.js';
import { ReadingsRepository } from '../server/db/readings-repository.js';
import { importHistory } from '../server/ingest/import-history.js';
import { Ingest } from '../server/ingest/ingest.js';
import { seededRandom } from '../server/sources/scenarios/random.js';

const ROWS = 1_000_000;
const START = Date.UTC(2019, 0, 8, 9, 0);

const POT: PotConfig = {
  id: 'bench-import',
  title: 'Import benchmark',
  currency: 'EUR',
  goal: undefined,
  goalMinor: undefined,
  platform: undefined,
  source: { kind: 'webhook', secret: 'bench-secret-0123456789', staleAfterSeconds: 900 },
};

/** A history of `rows` minute readings, rising like a busy pot, half with ISO times. */
async function writeHistory(file: string, rows: number): Promise<void> {
  const random = seededRandom(2019);
  const out = createWriteStream(file);
  out.write('at,amount,contributors\n');
  let amountMinor = 0;
  let contributors = 0;
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    const gifts = Math.floor(random() * 4);
    contributors += gifts;
    amountMinor += gifts * (1000 + Math.floor(random() * 4000));
    const at = START + i * 60_000;
    const when = i % 2 === 0 ? new Date(at).toISOString() : String(at);
    chunk += `${when},${(amountMinor / 100).toFixed(2)},${contributors}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

/**
 * Times `cli import` of 1,000,000 rows into a fresh SQLite file: both passes (the check
 * of every line, then the guarded, batched store). Writing the file is not timed.
 */
export async function benchImport(): Promise<{ rows: number; seconds: number; rowsPerSecond: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'potwatch-bench-import-'));
  try {
    const file = path.join(dir, 'history.csv');
    await writeHistory(file, ROWS);
    const db = openDatabase(path.join(dir, 'potwatch.db'));
    try {
      new PotsRepository(db).syncFilePots([POT]);
      const ingest = new Ingest(db, new ReadingsRepository(db), [POT]);
      const summary = await importHistory({ ingest, pot: POT, file });
      if (summary.accepted !== ROWS) throw new Error(`expected ${ROWS} stored readings, got ${summary.accepted}`);
      return { rows: summary.rows, seconds: summary.seconds, rowsPerSecond: Math.round(summary.rows / summary.seconds) };
    } finally {
      closeDatabase(db);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ranDirectly = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (ranDirectly) {
  const result = await benchImport();
  process.stdout.write(
    `import: ${result.rows.toLocaleString('en')} rows in ${result.seconds.toFixed(2)} s ` +
      `(${result.rowsPerSecond.toLocaleString('en')} rows/s)\n`,
  );
}
