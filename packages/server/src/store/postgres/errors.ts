import { StoreConflict, StoreFull } from '../errors.ts';
import { withErrorMapping } from '../map-errors.ts';

/** PostgreSQL SQLSTATE codes (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
const uniqueViolation = '23505';
const diskFull = '53100';

interface PgError extends Error {
  code?: string;
  constraint?: string;
  detail?: string;
}

/** The column of `Key (token)=(…) already exists.` (the first, for composite keys). */
function conflictField(err: PgError): string {
  const m = /^Key \("?(\w+)"?/.exec(err.detail ?? '');
  return m?.[1] ?? 'value';
}

/** A `pg` error as the store error it means (the same classes SQLite's are mapped to), or the error itself. */
export function pgStoreErrorOf(err: unknown): unknown {
  const code = (err as PgError | null)?.code;
  if (code === diskFull) return new StoreFull({ cause: err });
  if (code === uniqueViolation) return new StoreConflict(conflictField(err as PgError), { cause: err });
  return err;
}

/** The repository with every method's PostgreSQL errors mapped through `pgStoreErrorOf`. */
export function mappingPgErrors<R extends object>(repo: R): R {
  return withErrorMapping(repo, pgStoreErrorOf);
}
