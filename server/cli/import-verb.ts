import { existsSync } from 'node:fs';
import { withDemoPot } from '../config/demo-pot.js';
import { loadPotsFile, PotsFileError } from '../config/pots-file.js';
import { readSettings, SettingsError } from '../config/settings.js';
import { closeDatabase, openDatabase } from '../db/database.js';
import { PotsRepository } from '../db/pots-repository.js';
import { ReadingsRepository } from '../db/readings-repository.js';
import { CsvFormatError } from '../ingest/csv-history.js';
import { importHistory, type ImportProgress } from '../ingest/import-history.js';
import { Ingest } from '../ingest/ingest.js';
import { CliError, type CliVerb } from './cli-verb.js';
import { progressBar } from './progress-bar.js';

const HELP = `Loads a pot's history from a CSV file with the header at,amount,contributors
(at: ISO-8601 with offset or epoch milliseconds; amount: major units, e.g. 1234.50;
contributors: whole number). Every row goes through the same guard as live readings.

The pot must be in the pots file (POTWATCH_CONFIG); the readings go to DATABASE_PATH.
The whole file is checked before anything is stored: a malformed line stops the import
with its line number (exit 2) and changes nothing. Running it again is harmless: rows
already stored are counted as duplicates. A server running on the same database picks
the imported readings up within a second.

Prints a JSON summary on stdout; progress goes to stderr when it is a terminal.`;

export const importVerb: CliVerb = {
  name: 'import',
  usage: 'import POT_ID FILE.csv',
  summary: "loads a pot's history from a CSV file (at,amount,contributors)",
  help: HELP,
  async run(args) {
    const [potId, file, ...extra] = args;
    if (!potId || !file || extra.length > 0) throw new CliError('usage: import POT_ID FILE.csv');
    if (!existsSync(file)) throw new CliError(`${file} does not exist`);
    const { pots, databasePath, configName } = readConfiguration();
    const pot = pots.find((candidate) => candidate.id === potId);
    if (!pot) throw new CliError(`there is no pot "${potId}" in ${configName}`);
    if (pot.source.kind === 'replay') throw new CliError(`pot "${potId}" is a replay: its history comes from its scenario`);

    const db = openDatabase(databasePath);
    const bar = progressBar(process.stderr);
    try {
      new PotsRepository(db).syncFilePots(pots);
      const ingest = new Ingest(db, new ReadingsRepository(db), [pot]);
      const summary = await importHistory({
        ingest,
        pot,
        file,
        onProgress: (progress) => bar.update(progress.bytes / Math.max(1, progress.totalBytes), describe(progress)),
      });
      bar.done();
      process.stderr.write(
        `Imported ${file} into "${potId}": ${summary.accepted} stored, ${summary.duplicates} already there, ` +
          `${summary.quarantined} held for review, in ${summary.seconds.toFixed(1)} s\n`,
      );
      process.stdout.write(`${JSON.stringify(summary)}\n`);
      return 0;
    } catch (error) {
      bar.done();
      if (error instanceof CsvFormatError) throw new CliError(`${file} ${error.message}; nothing was stored`);
      throw error;
    } finally {
      closeDatabase(db);
    }
  },
};

/** The pots as the server would see them with the same environment. */
function readConfiguration() {
  try {
    const settings = readSettings();
    const configured = settings.configPath ? loadPotsFile(settings.configPath) : [];
    return {
      pots: withDemoPot(configured, settings.demo),
      databasePath: settings.databasePath,
      configName: settings.configPath ?? 'the pots file (no POTWATCH_CONFIG and no potwatch.config.json)',
    };
  } catch (error) {
    if (error instanceof SettingsError || error instanceof PotsFileError) throw new CliError(error.message);
    throw error;
  }
}

function describe(progress: ImportProgress): string {
  return `${progress.phase} ${progress.rows.toLocaleString('en')} rows`;
}
