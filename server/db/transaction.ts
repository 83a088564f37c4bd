// The driver's type rather than database.ts's name for it: database.ts runs its migrations through here.
import type BetterSqlite3 from 'better-sqlite3';

type Database = BetterSqlite3.Database;

/**
 * A Promise-returning callback is refused at compile time: everything after its first `await`
 * would run once the transaction is over, outside it. (The driver throws when it sees the
 * Promise, but only after the callback has started, and its remainder still runs later.)
 */
export type SynchronousWork<Result> =
  Result extends PromiseLike<unknown> ? 'a transaction must not be async: do the waiting before it, then write' : Result;

export interface TransactionOptions {
  /**
   * Take the write lock at BEGIN (BEGIN IMMEDIATE), before the first read, so that another
   * process cannot write between what the transaction reads and what it writes.
   */
  immediate?: boolean;
  /**
   * On disk (the log synced) when this returns, so that even a power loss keeps it; other
   * commits of this connection keep synchronous=NORMAL. Only an outermost transaction commits:
   * a nested one is as durable as the transaction around it.
   */
  durable?: boolean;
}

/** In WAL mode, FULL syncs the log before each commit returns. */
const SYNCHRONOUS_FULL = 2;

/**
 * Runs `work` in one transaction: committed when it returns, rolled back when it throws.
 * Inside another transaction it is a savepoint of that one.
 */
export function transaction<Result>(
  db: Database,
  work: () => SynchronousWork<Result>,
  options: TransactionOptions = {},
): Result {
  const run = db.transaction(work);
  const restoreSync = options.durable ? syncEachCommit(db) : undefined;
  try {
    return (options.immediate ? run.immediate() : run()) as Result;
  } finally {
    restoreSync?.();
  }
}

/** Switches the connection to synchronous=FULL; returns how to switch it back. */
function syncEachCommit(db: Database): () => void {
  const previous = db.pragma('synchronous', { simple: true }) as number;
  db.pragma(`synchronous = ${SYNCHRONOUS_FULL}`);
  return () => db.pragma(`synchronous = ${previous}`);
}
