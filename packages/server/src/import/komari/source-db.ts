import { existsSync, statSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { AppError } from '../../errors.ts';
import type { Row } from './values.ts';

/**
 * Opens a Komari database read-only: the import never changes the source. A missing file, a file
 * that is not SQLite, or a damaged database is refused here with a message naming it.
 */
export function openKomariDb(path: string): DatabaseSync {
  if (!existsSync(path) || !statSync(path).isFile()) throw AppError.invalidParams(`${path} does not exist or is not a file`);
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(path, { readOnly: true });
    const check = db.prepare('PRAGMA quick_check').all();
    const problems = check.map((r) => String(Object.values(r)[0])).filter((s) => s !== 'ok');
    if (problems.length > 0) throw new Error(problems.slice(0, 3).join('; '));
    return db;
  } catch (err) {
    if (db?.isOpen) db.close();
    throw AppError.invalidParams(`${path} is not a readable SQLite database: ${(err as Error).message}`);
  }
}

export function tableNames(db: DatabaseSync): Set<string> {
  return new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((r) => String(r.name)));
}

export function columnsOf(db: DatabaseSync, table: string): Set<string> {
  return new Set(db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table).map((r) => String(r.name)));
}

/**
 * Every row of a table, one at a time (never the whole table in memory), in insertion order.
 * A table that does not exist yields nothing: older Komari releases lack some.
 */
export function* rowsOf(db: DatabaseSync, table: string): Generator<Row> {
  if (!tableNames(db).has(table)) return;
  const quoted = `"${table.replaceAll('"', '""')}"`;
  let stmt;
  try {
    stmt = db.prepare(`SELECT * FROM ${quoted} ORDER BY rowid`);
  } catch {
    stmt = db.prepare(`SELECT * FROM ${quoted}`); // a WITHOUT ROWID table
  }
  yield* stmt.iterate() as Iterable<Row>;
}

export function rowCount(db: DatabaseSync, table: string): number {
  if (!tableNames(db).has(table)) return 0;
  return Number(db.prepare(`SELECT count(*) AS n FROM "${table.replaceAll('"', '""')}"`).get()?.n ?? 0);
}
