import pg from 'pg';

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
  // search_path as a startup parameter: set before the first query of every connection, no race.
  const pool = new pg.Pool({ connectionString: url, max: o.maxConnections ?? 10, options: `-c search_path=${schema}` });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  try {
    // A connection is made either way, so an unreachable server fails here, for the caller's retries.
    await pool.query(o.existing ? 'SELECT 1' : `CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
  return pool;
}

/** Runs `fn` in one transaction on one connection: committed when it returns, rolled back when it throws. */
export async function inPgTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const out = await fn(client);
    await client.query('COMMIT');
    return out;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
