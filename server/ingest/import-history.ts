import { statSync } from 'node:fs';
import type { PotConfig } from '../../shared/pot-config.js';
import { readHistoryCsv } from './csv-history.js';
import type { IncomingReading, Ingest } from './ingest.js';

export const IMPORT_BATCH_SIZE = 5000;

export interface ImportProgress {
  /** The file is read twice: once to check every line, then to store. */
  phase: 'checking' | 'importing';
  bytes: number;
  totalBytes: number;
  rows: number;
}

export interface ImportSummary {
  potId: string;
  rows: number;
  accepted: number;
  duplicates: number;
  quarantined: number;
  seconds: number;
}

export interface ImportOptions {
  ingest: Ingest;
  pot: PotConfig;
  file: string;
  batchSize?: number;
  onProgress?: (progress: ImportProgress) => void;
}

/**
 * Loads a pot's history from a CSV file through `Ingest`, so that the guard judges every
 * row as it would a live reading. The whole file is checked first, so that a malformed
 * line changes nothing; rows are then stored in batched transactions. Running it again
 * stores nothing twice: rows already stored count as duplicates.
 */
export async function importHistory(options: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const { ingest, pot, file } = options;
  const batchSize = options.batchSize ?? IMPORT_BATCH_SIZE;
  const totalBytes = statSync(file).size;
  const progress = (phase: ImportProgress['phase'], bytes: number, rows: number) =>
    options.onProgress?.({ phase, bytes, totalBytes, rows });

  let rows = 0;
  let bytesRead = 0;
  const read = (onBytes: (bytes: number) => void) => readHistoryCsv(file, { currency: pot.currency, onBytes });

  for await (const _row of read((bytes) => (bytesRead = bytes))) {
    rows++;
    if (rows % batchSize === 0) progress('checking', bytesRead, rows);
  }
  progress('checking', totalBytes, rows);

  const summary: ImportSummary = { potId: pot.id, rows, accepted: 0, duplicates: 0, quarantined: 0, seconds: 0 };
  let batch: IncomingReading[] = [];
  let stored = 0;
  const flush = () => {
    const result = ingest.submit(pot.id, { readings: batch, origin: 'csv' });
    summary.accepted += result.accepted;
    summary.duplicates += result.duplicates;
    summary.quarantined += result.quarantined;
    stored += batch.length;
    batch = [];
    progress('importing', bytesRead, stored);
  };
  for await (const { reading } of read((bytes) => (bytesRead = bytes))) {
    batch.push(reading);
    if (batch.length >= batchSize) flush();
  }
  if (batch.length > 0) flush();
  summary.seconds = Math.round(performance.now() - started) / 1000;
  return summary;
}
