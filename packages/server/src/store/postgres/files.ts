import { existsSync, rmSync } from 'node:fs';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import type pg from 'pg';
import { StoreError } from '../errors.ts';
import { openSqliteStore } from '../sqlite/open.ts';
import { isPgUnavailable } from './errors.ts';
import { defaultPgPoolLimits, type PgPoolLimits } from './pool-limits.ts';
import type { DatabaseFiles } from '../types.ts';

/** Rows read from PostgreSQL and written to SQLite per round trip while snapshotting. */
export const snapshotBatchRows = 1000;

/** Each engine migrates its own file: PostgreSQL's list of applied migrations is not copied. */
const ownTables = new Set(['schema_migrations']);

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** The store's tables: only its schema's (the database may hold other applications' too). */
async function tablesOf(q: pg.Pool | pg.PoolClient): Promise<string[]> {
  const sql = `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname COLLATE "C"`;
  return (await q.query<{ relname: string }>(sql)).rows.map((r) => r.relname);
}

/** A PostgreSQL value as SQLite binds it: booleans as 0/1 (SQLite's flags), JSON as text. */
function sqliteValueOf(v: unknown): SQLInputValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  // BIGINTs arrive as strings; the INTEGER column's affinity turns them back into exact integers.
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint') return v;
  if (v instanceof Uint8Array) return v;
  if (v instanceof Date) return v.getTime();
  return JSON.stringify(v);
}

/**
 * The PostgreSQL database as DatabaseFiles: its size and space reclaim count the store's schema
 * only, and a snapshot is a SQLite file with SQLite's schema, so a backup taken here restores on
 * either engine.
 */
export function pgFiles(pool: pg.Pool, limits: PgPoolLimits = defaultPgPoolLimits): DatabaseFiles {
  return {
    async size() {
      const sql = `SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0)::text AS bytes FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'm')`;
      return Number((await pool.query<{ bytes: string }>(sql)).rows[0]?.bytes ?? 0);
    },
    async vacuum() {
      const tables = await tablesOf(pool);
      if (tables.length === 0) return;
      // Outside any transaction (VACUUM refuses one): pool.query runs it on its own.
      // pg reads a per-query `query_timeout` over the pool's; its types do not list it
      const vacuum: pg.QueryConfig & { query_timeout: number } = {
        text: `VACUUM (ANALYZE) ${tables.map(quote).join(', ')}`,
        query_timeout: limits.maintenanceQueryTimeoutMs,
      };
      await pool.query(vacuum);
    },
    async snapshotTo(path) {
      if (existsSync(path)) throw new StoreError(`cannot snapshot the database into ${path}: the file exists`);
      // SQLite's own migrations create the target's tables, exactly as a SQLite store has them.
      await openSqliteStore(path).close();
      const target = new DatabaseSync(path);
      const client = await pool.connect();
      try {
        // Rows of tables that reference each other arrive table by table, not in reference order.
        target.exec('PRAGMA foreign_keys = OFF');
        const targetTables = new Set(
          target.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((r) => String(r.name)),
        );
        // One snapshot of the whole schema while writers go on, as SQLite's VACUUM INTO reads one.
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        target.exec('BEGIN');
        for (const table of await tablesOf(client)) {
          if (ownTables.has(table)) continue;
          if (!targetTables.has(table)) {
            throw new StoreError(`cannot snapshot the PostgreSQL table ${table}: SQLite's schema has no such table`);
          }
          await copyTable(client, target, table);
        }
        target.exec('COMMIT');
        await client.query('COMMIT');
      } catch (err) {
        if (target.isTransaction) target.exec('ROLLBACK');
        // a lost connection is dropped, not rolled back (inPgTransaction says why)
        if (isPgUnavailable(err)) client.release(err as Error);
        else {
          await client.query('ROLLBACK').catch(() => undefined);
          client.release();
        }
        target.close();
        // No half-made snapshot left where a backup would pick it up.
        for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
        throw err;
      }
      client.release();
      target.close();
    },
  };
}

/**
 * Copies one table's rows, in batches through a cursor, into the same-named SQLite table: the
 * columns both have (PostgreSQL's `seq` columns stand in for SQLite's rowid and are left out).
 * Rows SQLite's migrations seeded are replaced by the source's.
 */
async function copyTable(client: pg.PoolClient, target: DatabaseSync, table: string): Promise<void> {
  const targetColumns = new Set(target.prepare(`PRAGMA table_info(${quote(table)})`).all().map((r) => String(r.name)));
  const sourceColumns = (
    await client.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
      [table],
    )
  ).rows.map((r) => r.column_name);
  const columns = sourceColumns.filter((c) => targetColumns.has(c));
  target.exec(`DELETE FROM ${quote(table)}`);
  if (columns.length === 0) return;
  const list = columns.map(quote).join(', ');
  const insert = target.prepare(`INSERT INTO ${quote(table)} (${list}) VALUES (${columns.map(() => '?').join(', ')})`);
  // SQLite orders these tables by rowid: insert in `seq` order so the first account stays first.
  const order = sourceColumns.includes('seq') && !targetColumns.has('seq') ? ' ORDER BY seq' : '';
  // An error aborts the whole transaction (and its cursor) in the caller: no CLOSE on that path.
  await client.query(`DECLARE snapshot_rows NO SCROLL CURSOR FOR SELECT ${list} FROM ${quote(table)}${order}`);
  for (;;) {
    const { rows } = await client.query<Record<string, unknown>>(`FETCH ${snapshotBatchRows} FROM snapshot_rows`);
    for (const row of rows) insert.run(...columns.map((c) => sqliteValueOf(row[c])));
    if (rows.length < snapshotBatchRows) break;
  }
  await client.query('CLOSE snapshot_rows');
}
