import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../../src/store/open-store.ts';
import { storeTables } from '../../src/store/table-catalog.ts';
import type { Store, TableRow } from '../../src/store/types.ts';
import { runCli } from './cli.ts';
import { sharedFixtureDir } from './komari-fixture.ts';
import { populateEveryTable, type Populated } from './populate-store.ts';

/**
 * A SQLite installation with rows in every table: the real Komari 1.4.3 backup imported through
 * the CLI (its admin, nodes, history, ping tasks, rules), then a row or more in every other table
 * written through the store around `now`. The store is closed again: `komari migrate` refuses a
 * file another process holds.
 */
export async function buildSqliteInstallation(path: string, now: number): Promise<Populated> {
  const res = await runCli(['import', join(sharedFixtureDir, 'backup.zip'), '-d', path, '--json']);
  if (res.code !== 0) throw new Error(`import failed: ${res.stderr}`);
  const store = await openStore(path);
  try {
    return await populateEveryTable(store, now, 'x');
  } finally {
    await store.close();
  }
}

const text = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));

/**
 * Every row of every table, each table's rows sorted (PostgreSQL reads tables that have no
 * insertion order of their own by key, SQLite by rowid); what "the same data" compares.
 */
export async function allRows(store: Store): Promise<Record<string, string[]>> {
  return store.tables.reading(async (r) => {
    const out: Record<string, string[]> = {};
    for (const spec of storeTables) {
      const rows: TableRow[] = [];
      for await (const batch of r.batches(spec.name, 500)) rows.push(...batch);
      out[spec.name] = rows.map(text).sort();
    }
    return out;
  });
}

/** The file's bytes as a digest: a source that was never written keeps it. */
export const digestOf = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
