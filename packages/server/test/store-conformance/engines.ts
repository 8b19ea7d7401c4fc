import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { migratePg } from '../../src/store/postgres/migrations.ts';
import { pgRepositories } from '../../src/store/postgres/open.ts';
import { mappingErrors } from '../../src/store/sqlite/errors.ts';
import { sqliteNodes } from '../../src/store/sqlite/nodes.ts';
import { openSqliteStore } from '../../src/store/sqlite/open.ts';
import type { Store } from '../../src/store/types.ts';
import { freshPgSchema, pgSkipReason, testPgUrl } from '../helpers/postgres.ts';

/**
 * The repositories an engine has so far. SQLite has every one; PostgreSQL gains them one by one
 * (issue 16), and a suite runs on an engine once the engine has what it tests.
 */
export type Repos = Partial<Omit<Store, 'engine' | 'files' | 'close'>>;

/** table → column → declared type (lower case; PostgreSQL's identity columns end in ` identity`) */
export type SchemaColumns = Map<string, Map<string, string>>;

export interface OpenedEngine {
  repos: Repos;
  /** the engine's own tables and columns, read from its catalog (what the table catalog is checked against) */
  schema(): Promise<SchemaColumns>;
  close(): Promise<void>;
}

export interface Engine {
  name: 'sqlite' | 'postgres';
  /** why the engine cannot run here (no PostgreSQL to reach), or undefined */
  skip?: string;
  /** a fresh, empty, migrated database */
  open(): Promise<OpenedEngine>;
}

const sqlite: Engine = {
  name: 'sqlite',
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'komari-conformance-'));
    const file = join(dir, 'komari.db');
    const store = openSqliteStore(file);
    // The store serves nodes through cachedNodes(); the suite holds the raw repository to the
    // spec, on a connection of its own (foreign keys on, as the store's, so deletes cascade).
    const raw = new DatabaseSync(file);
    raw.exec('PRAGMA busy_timeout = 5000');
    raw.exec('PRAGMA foreign_keys = ON');
    return {
      repos: { ...store, nodes: mappingErrors(sqliteNodes(raw)) },
      async schema() {
        const out: SchemaColumns = new Map();
        for (const t of raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()) {
          const columns = raw.prepare('SELECT name, type FROM pragma_table_info(?)').all(String(t.name));
          out.set(String(t.name), new Map(columns.map((c) => [String(c.name), String(c.type).toLowerCase()])));
        }
        return out;
      },
      async close() {
        raw.close();
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

const postgres: Engine = {
  name: 'postgres',
  skip: testPgUrl ? undefined : pgSkipReason,
  async open() {
    const { pool, drop } = await freshPgSchema();
    await migratePg(pool);
    return {
      repos: pgRepositories(pool),
      async schema() {
        const { rows } = await pool.query<{ table_name: string; column_name: string; data_type: string; is_identity: string }>(
          `SELECT table_name, column_name, data_type, is_identity FROM information_schema.columns WHERE table_schema = current_schema()`,
        );
        const out: SchemaColumns = new Map();
        for (const r of rows) {
          const table = out.get(r.table_name) ?? new Map<string, string>();
          table.set(r.column_name, r.data_type + (r.is_identity === 'YES' ? ' identity' : ''));
          out.set(r.table_name, table);
        }
        return out;
      },
      close: drop,
    };
  },
};

export const engines: Engine[] = [sqlite, postgres];
