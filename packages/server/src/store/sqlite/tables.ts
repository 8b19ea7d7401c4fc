import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import { quoteName, storeTables, tableSpec, type ColumnKind, type TableSpec } from '../table-catalog.ts';
import type { TableReader, TableRow, TableStore, TableValue, TableWriter } from '../types.ts';

/** A SQLite value (integers read as bigint, so none loses precision) as the catalog kind has it. */
function valueOf(v: unknown, kind: ColumnKind): TableValue {
  if (v === null || v === undefined) return null;
  if (kind === 'bool') return Number(v) !== 0;
  if (kind === 'real') return Number(v);
  if (typeof v === 'bigint') return kind === 'text' ? String(v) : Number.isSafeInteger(Number(v)) ? Number(v) : v;
  if (kind === 'text') return String(v);
  // an int column holding something else is handed on as it is: the other engine refuses it by name
  return v as TableValue;
}

const sqliteValueOf = (v: TableValue): SQLInputValue => (typeof v === 'boolean' ? (v ? 1 : 0) : v);

/**
 * Insertion order: the rowid (what SQLite lists in), or the primary key of a WITHOUT ROWID table
 * (the history and ping buckets), which has no other.
 */
function orderOf(db: DatabaseSync, spec: TableSpec): string {
  const row = db.prepare('SELECT wr FROM pragma_table_list WHERE schema = ? AND name = ?').get('main', spec.name);
  if (Number(row?.wr ?? 0) === 0) return 'rowid';
  const keys = db.prepare('SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk').all(spec.name);
  return keys.map((k) => quoteName(String(k.name))).join(', ');
}

function reader(db: DatabaseSync): TableReader {
  return {
    async count(table) {
      return Number(db.prepare(`SELECT count(*) AS n FROM ${quoteName(tableSpec(table).name)}`).get()?.n ?? 0);
    },
    async *batches(table, size) {
      const spec = tableSpec(table);
      const kinds = Object.values(spec.columns);
      const list = Object.keys(spec.columns).map(quoteName).join(', ');
      const stmt: StatementSync = db.prepare(`SELECT ${list} FROM ${quoteName(spec.name)} ORDER BY ${orderOf(db, spec)}`);
      stmt.setReadBigInts(true);
      stmt.setReturnArrays(true);
      // Rows are stepped one at a time and handed on a batch at a time: never the whole table in
      // memory. Leaving the loop early (the consumer stopped) resets the statement.
      const n = Math.max(1, Math.floor(size));
      let batch: TableRow[] = [];
      for (const row of stmt.iterate() as Iterable<unknown[]>) {
        batch.push(row.map((v, i) => valueOf(v, kinds[i]!)));
        if (batch.length >= n) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    },
    async idCounters() {
      const known = new Set(storeTables.filter((t) => t.idColumn).map((t) => t.name));
      const out = new Map<string, number>();
      for (const r of db.prepare('SELECT name, seq FROM sqlite_sequence').all()) {
        if (known.has(String(r.name)) && Number(r.seq) > 0) out.set(String(r.name), Number(r.seq));
      }
      return out;
    },
  };
}

function writer(db: DatabaseSync): TableWriter {
  const inserts = new Map<string, StatementSync>();
  const insertOf = (spec: TableSpec): StatementSync => {
    let stmt = inserts.get(spec.name);
    if (!stmt) {
      const columns = Object.keys(spec.columns);
      stmt = db.prepare(`INSERT INTO ${quoteName(spec.name)} (${columns.map(quoteName).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
      inserts.set(spec.name, stmt);
    }
    return stmt;
  };
  return {
    count: reader(db).count,
    async insert(table, rows) {
      const stmt = insertOf(tableSpec(table));
      for (const row of rows) stmt.run(...row.map(sqliteValueOf));
    },
    async keepIdCounters(counters) {
      for (const [table, next] of counters) {
        const spec = tableSpec(table);
        // Only AUTOINCREMENT tables keep a counter; the others hand out the highest id + 1 anyway.
        const sql = String(db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").get(spec.name)?.sql ?? '');
        if (!spec.idColumn || !/\bAUTOINCREMENT\b/i.test(sql)) continue;
        const changed = db.prepare('UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?').run(next, spec.name).changes;
        if (Number(changed) === 0) db.prepare('INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)').run(spec.name, next);
      }
    },
  };
}

/**
 * Every table of the SQLite store as rows. Both sides run on the store's one connection inside a
 * transaction that spans awaits: nothing else may use the store meanwhile (the CLI's `komari
 * migrate` opens it for itself).
 */
export function sqliteTables(db: DatabaseSync): TableStore {
  const within = async <T>(begin: string, fn: () => Promise<T>): Promise<T> => {
    db.exec(begin);
    try {
      const out = await fn();
      db.exec('COMMIT');
      return out;
    } catch (err) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw err;
    }
  };
  return {
    async counts() {
      const r = reader(db);
      const out = new Map<string, number>();
      for (const t of storeTables) out.set(t.name, await r.count(t.name));
      return out;
    },
    // A deferred transaction: its snapshot is taken at the first read and held to the end (WAL).
    reading: (fn) => within('BEGIN', () => fn(reader(db))),
    writing: (fn) => within('BEGIN IMMEDIATE', () => fn(writer(db))),
  };
}
