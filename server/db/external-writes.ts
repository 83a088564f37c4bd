import type { Database } from './database.js';

export interface ExternalWritesWatch {
  stop(): void;
}

/**
 * Calls `onChange` when another connection (e.g. `cli import` running next to the server)
 * has committed to the database file. SQLite's `data_version` changes only for commits made
 * by other connections, so the server's own writes cost nothing here.
 */
export function watchExternalWrites(db: Database, everyMs: number, onChange: () => void): ExternalWritesWatch {
  const version = () => db.pragma('data_version', { simple: true }) as number;
  let seen = version();
  const timer = setInterval(() => {
    if (!db.open) return;
    const current = version();
    if (current === seen) return;
    seen = current;
    onChange();
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
