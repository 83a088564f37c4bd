import BetterSqlite3 from 'better-sqlite3';

/** A database failure that passes with time, and how long a client should wait before trying again. */
export interface StorageUnavailable {
  reason: string;
  retryAfterSeconds: number;
}

/** Thrown instead of writing while writes are paused after a lock held by another process. */
export class StorageBusyError extends Error {
  constructor(readonly retryAfterMs: number) {
    super('the database is locked by another process');
  }
}

/**
 * Tells the conditions that pass — a write lock held by another process, a full disk, an
 * I/O error — from bugs. The former are answered 503 with Retry-After: nothing was stored,
 * and sending the same data later is safe.
 */
export function storageUnavailable(error: unknown): StorageUnavailable | undefined {
  if (error instanceof StorageBusyError) {
    return { reason: error.message, retryAfterSeconds: Math.max(1, Math.ceil(error.retryAfterMs / 1000)) };
  }
  if (!(error instanceof BetterSqlite3.SqliteError)) return undefined;
  if (isLockError(error)) return { reason: 'the database is locked by another process', retryAfterSeconds: 1 };
  if (error.code === 'SQLITE_FULL') return { reason: 'the disk holding the database is full', retryAfterSeconds: 30 };
  if (error.code.startsWith('SQLITE_IOERR')) return { reason: 'the database could not be written', retryAfterSeconds: 30 };
  return undefined;
}

export function isLockError(error: unknown): boolean {
  return (
    error instanceof BetterSqlite3.SqliteError && (error.code.startsWith('SQLITE_BUSY') || error.code.startsWith('SQLITE_LOCKED'))
  );
}
