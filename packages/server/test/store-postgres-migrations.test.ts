import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StoreFileError } from '../src/store/errors.ts';
import { migratePg, pgMigrations } from '../src/store/postgres/migrations.ts';
import { freshPgSchema, pgSkipReason, testPgUrl } from './helpers/postgres.ts';

describe('PostgreSQL migrations', { skip: testPgUrl ? undefined : pgSkipReason }, () => {
  it('apply once, in order, and again do nothing; two replicas starting at once migrate once', async () => {
    const { pool, drop } = await freshPgSchema();
    try {
      await Promise.all([migratePg(pool), migratePg(pool), migratePg(pool)]);
      await migratePg(pool);
      const rows = (await pool.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id')).rows.map((r) => r.id);
      assert.deepEqual(rows, pgMigrations.map((m) => m.id).sort());
    } finally {
      await drop();
    }
  });

  it('a database migrated by a newer komari-ts is refused, naming the migration, and nothing changes', async () => {
    const { pool, drop } = await freshPgSchema();
    try {
      await migratePg(pool);
      await pool.query("INSERT INTO schema_migrations (id, applied_at) VALUES ('2099-01-01-from-the-future', 0)");
      const before = (await pool.query('SELECT count(*)::int AS n FROM schema_migrations')).rows[0].n;
      await assert.rejects(migratePg(pool), (err: unknown) => err instanceof StoreFileError && /newer than this komari-ts knows \(it has migration 2099-01-01-from-the-future\)/.test(err.message));
      assert.equal((await pool.query('SELECT count(*)::int AS n FROM schema_migrations')).rows[0].n, before);
    } finally {
      await drop();
    }
  });

  it('a migration that fails leaves neither its tables nor its record', async () => {
    const { pool, drop } = await freshPgSchema();
    try {
      const broken = [...pgMigrations, { id: '2026-12-31-broken', sql: 'CREATE TABLE half (a INT); SELECT no_such_function()' }];
      await assert.rejects(migratePg(pool, broken));
      const tables = (await pool.query("SELECT to_regclass('half') AS t")).rows[0].t;
      assert.equal(tables, null);
      const ids = (await pool.query<{ id: string }>('SELECT id FROM schema_migrations')).rows.map((r) => r.id);
      assert.ok(!ids.includes('2026-12-31-broken'));
      assert.ok(ids.includes(pgMigrations[0]!.id), 'the good migrations before it stay applied');
    } finally {
      await drop();
    }
  });
});
