import { existsSync } from 'node:fs';
import { isKnownCurrency } from '../../shared/money.js';
import type { Reading } from '../../shared/types.js';
import { toIso } from '../../shared/time.js';
import { detectHistory } from '../detect/detect-history.js';
import { CsvFormatError, readHistoryCsv } from '../ingest/csv-history.js';
import { CliError, type CliVerb } from './cli-verb.js';

const HELP = `Reads a pot's history from a CSV file with the header at,amount,contributors (at:
ISO-8601 with offset or epoch milliseconds; amount: major units, cumulative; contributors:
whole number, cumulative) and prints the intervals worth a moderator's look as a JSON array:

  [{"from": ISO-8601, "to": ISO-8601, "kind": ..., "score": ..., "evidence": {"summary": ..., ...}}]

kind is one of too-regular, night-surge, freeze-catch-up, sudden-jump, identical-small-gifts
(duplicate-names needs contributions, which a CSV does not carry). score is how rare such an
interval is on honest pots, the same scale for every kind: log10 of how many honest pot-days
show one (3.5: about 1 in 3,200). The evidence states what was seen; it is not a verdict.

Prints [] when nothing stands out. A malformed file is reported on stderr with its line (exit 2).

Options: --currency CODE  writes amounts in evidence with that currency (amounts are read with
                          its decimals; default: two decimals, no symbol)`;

function parseArguments(args: string[]): { file: string; currency: string | undefined } {
  let currency: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--currency' || arg.startsWith('--currency=')) {
      currency = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[++i];
      if (!currency || !isKnownCurrency(currency)) throw new CliError('--currency needs an ISO 4217 code such as EUR');
    } else if (arg.startsWith('--')) {
      throw new CliError(`unknown option ${arg}\nUsage: npm run --silent cli -- detect FILE.csv [--currency CODE]`);
    } else {
      files.push(arg);
    }
  }
  if (files.length !== 1) throw new CliError('usage: detect FILE.csv [--currency CODE]');
  return { file: files[0]!, currency };
}

export const detectVerb: CliVerb = {
  name: 'detect',
  usage: 'detect FILE.csv',
  summary: 'prints the suspicious intervals of a history file as JSON',
  help: HELP,
  async run(args) {
    const { file, currency } = parseArguments(args);
    if (!existsSync(file)) throw new CliError(`${file} does not exist`);
    const readings: Reading[] = [];
    try {
      for await (const { reading } of readHistoryCsv(file, { currency: currency ?? 'EUR' })) {
        readings.push({ at: reading.at, amountMinor: reading.amountMinor, contributors: reading.contributors });
      }
    } catch (error) {
      if (error instanceof CsvFormatError) throw new CliError(`${file} ${error.message}`);
      throw error;
    }
    const suggestions = detectHistory(readings, [], { currency }).map((suggestion) => ({
      from: toIso(suggestion.from),
      to: toIso(suggestion.to),
      kind: suggestion.kind,
      score: suggestion.score,
      evidence: suggestion.evidence,
    }));
    process.stdout.write(`${JSON.stringify(suggestions, null, 2)}\n`);
    return 0;
  },
};
