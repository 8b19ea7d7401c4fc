import type { DatabaseSync } from 'node:sqlite';
import { columnsOf, tableNames } from './source-db.ts';

/** The columns an import cannot do without; every other column may be missing (older releases). */
const required: Record<string, readonly string[]> = {
  clients: ['uuid', 'token'],
  users: ['username', 'passwd'],
  configs: ['key', 'value'],
};

/**
 * Which Komari release wrote this database; null when it is not a Komari database at all (no
 * `clients` and `configs` tables). Komari 1.4 writes its version into `configs.system_version`
 * at every start ("1.4.3-bf6b45e" → "1.4.3"). Without it the layout tells the era (records.md
 * §8.3, public-api.md §9): the legacy `records` table (≤ 1.2.5) with clients lacking
 * `cpu_physical_cores` is the seed-era "1.0.x", with it "1.2.x"; no `records` table is the
 * metric-store era, "1.3.x".
 */
export function detectKomariSchema(db: DatabaseSync): string | null {
  const tables = tableNames(db);
  if (!tables.has('clients') || !tables.has('configs')) return null;
  const version = systemVersion(db);
  if (version) return version;
  if (tables.has('records')) return columnsOf(db, 'clients').has('cpu_physical_cores') ? '1.2.x' : '1.0.x';
  return '1.3.x';
}

/** Why a Komari database cannot be imported (a required table or column is missing), or undefined. */
export function unsupportedSchemaReason(db: DatabaseSync): string | undefined {
  const tables = tableNames(db);
  for (const [table, cols] of Object.entries(required)) {
    if (!tables.has(table)) return `it has no ${table} table`;
    const have = columnsOf(db, table);
    const missing = cols.filter((c) => !have.has(c));
    if (missing.length > 0) return `its ${table} table has no ${missing.join(', ')} column`;
  }
  return undefined;
}

function systemVersion(db: DatabaseSync): string | undefined {
  if (!columnsOf(db, 'configs').has('value')) return undefined;
  const row = db.prepare("SELECT value FROM configs WHERE key = 'system_version'").get();
  if (!row || typeof row.value !== 'string') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(row.value);
  } catch {
    return undefined;
  }
  const m = typeof value === 'string' ? /^v?(\d{1,3})\.(\d{1,3})\.(\d{1,3})/.exec(value) : null;
  return m ? `${Number(m[1])}.${Number(m[2])}.${Number(m[3])}` : undefined;
}
