import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { majorToMinor } from '../../shared/money.js';
import { parseInstant } from '../../shared/time.js';
import type { IncomingReading } from './ingest.js';

/** A problem in a history file, with the line it is on (1 is the header). */
export class CsvFormatError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

export interface CsvReading {
  line: number;
  reading: IncomingReading;
}

export interface CsvReadOptions {
  currency: string;
  /** Told how many bytes of the file have been read so far. */
  onBytes?: (bytes: number) => void;
}

const COLUMNS = ['at', 'amount', 'contributors'] as const;
type Column = (typeof COLUMNS)[number];
/** Longest line kept as the raw value of a reading. */
const RAW_LIMIT = 200;

/**
 * Streams the readings of a history file with header `at,amount,contributors` (columns in
 * any order; `at` ISO-8601 or epoch ms; `amount` in major units; blank lines ignored).
 * Throws a `CsvFormatError` naming the line and the field at the first problem.
 */
export async function* readHistoryCsv(file: string, options: CsvReadOptions): AsyncGenerator<CsvReading> {
  const stream = createReadStream(file);
  let bytes = 0;
  if (options.onBytes) {
    const report = options.onBytes;
    stream.on('data', (chunk) => {
      bytes += chunk.length;
      report(bytes);
    });
  }
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let lineNumber = 0;
  let order: Column[] | undefined;
  try {
    for await (const line of lines) {
      lineNumber++;
      if (!order) {
        order = parseHeader(lineNumber === 1 ? line.replace(/^\uFEFF/, '') : line, lineNumber);
        continue;
      }
      if (line.trim() === '') continue;
      yield { line: lineNumber, reading: parseRow(line, lineNumber, order, options.currency) };
    }
  } finally {
    lines.close();
    stream.destroy();
  }
  if (!order) throw new CsvFormatError(1, `the file is empty; it needs the header ${COLUMNS.join(',')}`);
}

function parseHeader(line: string, lineNumber: number): Column[] {
  const names = splitFields(line, lineNumber).map((name) => name.trim().toLowerCase());
  const isPermutation =
    names.length === COLUMNS.length && COLUMNS.every((column) => names.includes(column));
  if (!isPermutation) {
    throw new CsvFormatError(lineNumber, `the header must be ${COLUMNS.join(',')} (found "${line.slice(0, 80)}")`);
  }
  return names as Column[];
}

function parseRow(line: string, lineNumber: number, order: readonly Column[], currency: string): IncomingReading {
  const fields = splitFields(line, lineNumber);
  if (fields.length !== order.length) {
    throw new CsvFormatError(lineNumber, `expected ${order.length} values (${order.join(',')}), found ${fields.length}`);
  }
  const value = (column: Column) => fields[order.indexOf(column)]!.trim();

  const at = parseInstant(value('at'));
  if (!at.ok) throw new CsvFormatError(lineNumber, `at ${at.reason}`);
  const amount = majorToMinor(value('amount'), currency);
  if (!amount.ok) throw new CsvFormatError(lineNumber, `amount ${amount.reason}`);
  const contributorsText = value('contributors');
  const contributors = /^\d{1,16}$/.test(contributorsText) ? Number(contributorsText) : Number.NaN;
  if (!Number.isSafeInteger(contributors)) {
    throw new CsvFormatError(lineNumber, 'contributors must be a whole number such as 50123');
  }
  return { at: at.at, amountMinor: amount.minor, contributors, raw: line.slice(0, RAW_LIMIT) };
}

/** Splits on commas; a field may be "quoted", with "" for a quote inside it. */
function splitFields(line: string, lineNumber: number): string[] {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') {
        quoted = false;
      } else {
        field += char;
      }
    } else if (char === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (char === ',') {
      fields.push(field);
      field = '';
    } else {
      field += char;
    }
  }
  if (quoted) throw new CsvFormatError(lineNumber, 'a quoted value is not closed');
  fields.push(field);
  return fields;
}
