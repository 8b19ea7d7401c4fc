import { StoreConflict, StoreError, StoreFull, StoreInvalidText, StoreUnavailable } from '../errors.ts';
import { withErrorMapping } from '../map-errors.ts';

/** PostgreSQL SQLSTATE codes (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
const uniqueViolation = '23505';
const diskFull = '53100';
/** character_not_in_repertoire (a NUL in text), untranslatable_character (\\u0000 in jsonb) */
const invalidTextCodes = new Set(['22021', '22P05']);

/**
 * Codes that mean "the server is not there for us now", not "the query is wrong": Node's socket
 * errors, and admin_shutdown (57P01), crash_shutdown (57P02), cannot_connect_now (57P03, starting
 * up or in recovery), too_many_connections (53300); class 08 (connection exception) below.
 */
const unavailableCodes = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE',
  '57P01', '57P02', '57P03', '53300',
]);

/**
 * What pg and pg-pool throw without a code when a connection is lost, cannot be made within
 * `connectionTimeoutMillis`, or a query gets no answer within `query_timeout`; and a pool that
 * was ended (a stop in progress).
 */
const unavailableMessages = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect$/,
  /^timeout expired$/,
  /^Query read timeout$/,
  /is not queryable$/,
  /^Cannot use a pool after calling end on the pool$/,
];

interface PgError extends Error {
  code?: string;
  constraint?: string;
  detail?: string;
}

/** The first string `code` along the error and its causes (a refused dual-stack connect is an AggregateError). */
export function pgCodeOf(err: unknown): string | undefined {
  for (let e = err; e instanceof Error; e = e.cause) {
    const { code } = e as Error & { code?: unknown };
    if (typeof code === 'string') return code;
    if (e instanceof AggregateError) return pgCodeOf(e.errors[0]);
  }
  return undefined;
}

/** Whether a `pg` error means PostgreSQL cannot be reached or stopped answering. */
export function isPgUnavailable(err: unknown): boolean {
  const code = pgCodeOf(err);
  if (code !== undefined && (unavailableCodes.has(code) || code.startsWith('08'))) return true;
  for (let e = err; e instanceof Error; e = e.cause) {
    if (unavailableMessages.some((re) => re.test(e.message))) return true;
  }
  return false;
}

/** The column of `Key (token)=(…) already exists.` (the first, for composite keys). */
function conflictField(err: PgError): string {
  const m = /^Key \("?(\w+)"?/.exec(err.detail ?? '');
  return m?.[1] ?? 'value';
}

/** A `pg` error as the store error it means (the same classes SQLite's are mapped to), or the error itself. */
export function pgStoreErrorOf(err: unknown): unknown {
  if (err instanceof StoreError) return err; // mapped already (a repository calling another)
  const code = (err as PgError | null)?.code;
  if (code === diskFull) return new StoreFull({ cause: err });
  if (code === uniqueViolation) return new StoreConflict(conflictField(err as PgError), { cause: err });
  if (code !== undefined && invalidTextCodes.has(code)) return new StoreInvalidText({ cause: err });
  if (isPgUnavailable(err)) return new StoreUnavailable({ cause: err });
  return err;
}

/** The repository with every method's PostgreSQL errors mapped through `pgStoreErrorOf`. */
export function mappingPgErrors<R extends object>(repo: R): R {
  return withErrorMapping(repo, pgStoreErrorOf);
}
