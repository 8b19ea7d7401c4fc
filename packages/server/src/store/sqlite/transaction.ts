import type { DatabaseSync } from 'node:sqlite';

/**
 * Runs `fn` inside one write transaction; rolls back and rethrows on error. SQLite has already
 * rolled back by itself after some errors (SQLITE_FULL, SQLITE_IOERR): then there is nothing to
 * roll back, and the caller gets the original error, not "cannot rollback - no transaction is
 * active".
 */
export function inTransaction<T>(db: DatabaseSync, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const out = fn();
    db.exec('COMMIT');
    return out;
  } catch (err) {
    rollbackKeeping(db, err);
    throw err;
  }
}

/** Rolls back if a transaction is still open; a failing ROLLBACK never hides `original`. */
function rollbackKeeping(db: DatabaseSync, original: unknown): void {
  if (!db.isTransaction) return;
  try {
    db.exec('ROLLBACK');
  } catch (rollbackErr) {
    if (original instanceof Error) original.cause ??= rollbackErr;
  }
}
