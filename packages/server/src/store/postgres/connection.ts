import pg from 'pg';
import { isPgUnavailable } from './errors.ts';
import { defaultPgPoolLimits, type PgPoolLimits } from './pool-limits.ts';

/** `postgres://` and `postgresql://` select the PostgreSQL store; anything else is a SQLite file. */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

export interface PostgresOptions {
  /**
   * The schema every table lives in (created when missing); `public` unless set. Tests give each
   * store its own, so they share one database without seeing each other.
   */
  schema?: string;
  /** connections held at most (the pool's `max`) */
  maxConnections?: number;
  /**
   * Only open a store that is there: a schema without komari-ts's tables is refused instead of
   * created and migrated (what `komari migrate` reads from must not spring into being).
   */
  existing?: boolean;
  /** connect and query timeouts; the defaults unless set */
  limits?: PgPoolLimits;
}

/** A schema name safe to put in SQL unquoted-equivalent: letters, digits and `_`, not too long. */
export function checkSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid PostgreSQL schema name: ${JSON.stringify(schema)}`);
  return schema;
}

/**
 * A pool whose every connection works in `schema` (its search_path), so the
 * repositories write plain table names. The URL is never logged: it may carry a password.
 */
export async function openPool(url: string, o: PostgresOptions = {}): Promise<pg.Pool> {
  const schema = checkSchemaName(o.schema ?? 'public');
  const limits = o.limits ?? defaultPgPoolLimits;
  const pool = new pg.Pool({
    connectionString: url,
    max: o.maxConnections ?? 10,
    // search_path as a startup parameter: set before the first query of every connection, no race.
    options: `-c search_path=${schema}`,
    connectionTimeoutMillis: limits.connectTimeoutMs,
    query_timeout: limits.queryTimeoutMs,
  });
  // A client that loses its server emits 'error': the pool listens on idle ones, nobody on one
  // checked out (a transaction between statements), and an unheard 'error' ends the process.
  // The query in flight, or the next one, fails anyway and reports it (StoreUnavailable).
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  try {
    // A connection is made either way, so an unreachable server fails here, for the caller's retries.
    await pool.query(o.existing ? 'SELECT 1' : `CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
  return pool;
}

/**
 * Runs `fn` in one transaction on one connection: committed when it returns, rolled back when it
 * throws. A connection lost or stalled midway is dropped, not rolled back (a ROLLBACK would wait
 * behind the stalled query) and not put back in the pool: closing it ends the transaction.
 */
export async function inPgTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let lost: Error | undefined;
  try {
    await client.query('BEGIN');
    const out = await fn(client);
    await client.query('COMMIT');
    return out;
  } catch (err) {
    if (isPgUnavailable(err)) lost = err as Error;
    else await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release(lost);
  }
}
