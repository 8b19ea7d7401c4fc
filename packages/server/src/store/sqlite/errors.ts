import { StoreConflict, StoreFull } from '../errors.ts';
import { withErrorMapping } from '../map-errors.ts';

/** SQLite result codes (https://sqlite.org/rescode.html); node:sqlite puts them on `errcode`. */
const SQLITE_FULL = 13;
const SQLITE_CONSTRAINT_UNIQUE = 2067;
const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;

interface SqliteError extends Error {
  errcode?: number;
  errstr?: string;
}

/** The column of "UNIQUE constraint failed: clients.token" (the first, for composite keys). */
function conflictField(message: string): string {
  const m = /constraint failed: (?:[\w"]+\.)?"?(\w+)"?/i.exec(message);
  return m?.[1] ?? 'value';
}

/** A node:sqlite error as the store error it means, or the error itself. */
export function storeErrorOf(err: unknown): unknown {
  const code = (err as SqliteError | null)?.errcode;
  if (typeof code !== 'number') return err;
  // Extended codes keep the primary code in the low byte.
  if ((code & 0xff) === SQLITE_FULL) return new StoreFull({ cause: err });
  if (code === SQLITE_CONSTRAINT_UNIQUE || code === SQLITE_CONSTRAINT_PRIMARYKEY) {
    return new StoreConflict(conflictField((err as Error).message), { cause: err });
  }
  return err;
}

/** The repository with every method's SQLite errors mapped through `storeErrorOf`. */
export function mappingErrors<R extends object>(repo: R): R {
  return withErrorMapping(repo, storeErrorOf);
}
