import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPool } from '../../src/store/postgres/connection.ts';

/** The test PostgreSQL (`.ci/run` sets it to the machine's server); tests that need it skip without it. */
export const testPgUrl = process.env.KOMARI_TEST_PG_URL ?? '';

export const pgSkipReason = 'KOMARI_TEST_PG_URL is not set: no PostgreSQL to test against';

/** A pool on a schema of its own (dropped by `drop`), so every test has a fresh database. */
export async function freshPgSchema(): Promise<{ pool: pg.Pool; schema: string; drop(): Promise<void> }> {
  const schema = `t_${randomBytes(8).toString('hex')}`;
  const pool = await openPool(testPgUrl, { schema, maxConnections: 4 });
  return {
    pool,
    schema,
    async drop() {
      await pool.end().catch(() => undefined);
      const admin = new pg.Client({ connectionString: testPgUrl });
      await admin.connect();
      try {
        await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await admin.end();
      }
    },
  };
}
