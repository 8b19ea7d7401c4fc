import type pg from 'pg';
import { quoteName, storeTables, tableSpec, type ColumnKind, type TableSpec } from '../table-catalog.ts';
import type { TableReader, TableStore, TableValue, TableWriter } from '../types.ts';
import { inPgTransaction } from './connection.ts';

/** The array type a column of each kind is sent as. */
const pgArrayType: Record<ColumnKind, string> = { text: 'text[]', int: 'bigint[]', real: 'double precision[]', bool: 'boolean[]' };

/** A value as pg hands it back (BIGINT as text) as the catalog kind has it. */
function valueOf(v: unknown, kind: ColumnKind): TableValue {
  if (v === null || v === undefined) return null;
  if (kind === 'int' && typeof v === 'string') {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : BigInt(v);
  }
  if (kind === 'real') return Number(v);
  if (kind === 'bool') return v === true;
  return kind === 'text' ? String(v) : (v as TableValue);
}

/** `schema.table`, quoted, for the functions that take a table name as text. */
const qualified = `quote_ident(current_schema()) || '.' || quote_ident($1)`;

/**
 * Insertion order: `seq` where PostgreSQL keeps one in place of SQLite's rowid (or the table's own
 * seq), else the id the database hands out, else the primary key (tables with no order of their own).
 */
async function orderOf(q: pg.PoolClient, spec: TableSpec): Promise<string> {
  const seq = await q.query(
    `SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name = 'seq'`,
    [spec.name],
  );
  if (seq.rowCount) return 'seq';
  if (spec.idColumn) return quoteName(spec.idColumn);
  const keys = await q.query<{ attname: string }>(
    `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
     WHERE i.indrelid = (${qualified})::regclass AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)`,
    [spec.name],
  );
  return keys.rows.map((k) => quoteName(k.attname)).join(', ') || '1';
}

async function count(q: pg.PoolClient, table: string): Promise<number> {
  const r = await q.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${quoteName(tableSpec(table).name)}`);
  return Number(r.rows[0]?.n ?? 0);
}

/** The highest value the id column's sequence handed out; 0 when it never did. */
async function sequenceLast(q: pg.PoolClient, spec: TableSpec): Promise<number> {
  const r = await q.query<{ last: string | null }>(
    `SELECT pg_sequence_last_value(pg_get_serial_sequence(${qualified}, $2)::regclass)::text AS last`,
    [spec.name, spec.idColumn],
  );
  return Number(r.rows[0]?.last ?? 0);
}

function reader(client: pg.PoolClient): TableReader {
  return {
    count: (table) => count(client, table),
    async *batches(table, size) {
      const spec = tableSpec(table);
      const kinds = Object.values(spec.columns);
      const list = Object.keys(spec.columns).map(quoteName).join(', ');
      const order = await orderOf(client, spec);
      const n = Math.max(1, Math.floor(size));
      // A cursor inside the snapshot's transaction: the server holds the rest of the table, not us.
      await client.query(`DECLARE migrate_rows NO SCROLL CURSOR FOR SELECT ${list} FROM ${quoteName(spec.name)} ORDER BY ${order}`);
      let open = true;
      try {
        for (;;) {
          const { rows } = await client.query<unknown[]>({ text: `FETCH ${n} FROM migrate_rows`, rowMode: 'array' });
          if (rows.length > 0) yield rows.map((row) => row.map((v, i) => valueOf(v, kinds[i]!)));
          if (rows.length < n) break;
        }
        await client.query('CLOSE migrate_rows');
        open = false;
      } finally {
        // the consumer stopped early; after an error the transaction is aborted and this fails too
        if (open) await client.query('CLOSE migrate_rows').catch(() => undefined);
      }
    },
    async idCounters() {
      const out = new Map<string, number>();
      for (const spec of storeTables) {
        if (!spec.idColumn) continue;
        const last = await sequenceLast(client, spec);
        if (last > 0) out.set(spec.name, last);
      }
      return out;
    },
  };
}

/** Moves the id column's sequence past `atLeast` and past every stored id, so no id is handed out twice. */
async function raiseSequence(client: pg.PoolClient, spec: TableSpec, atLeast: number): Promise<void> {
  const max = await client.query<{ max: string | null }>(`SELECT max(${quoteName(spec.idColumn!)})::text AS max FROM ${quoteName(spec.name)}`);
  const target = Math.max(atLeast, Number(max.rows[0]?.max ?? 0), await sequenceLast(client, spec));
  if (target <= 0) return;
  await client.query(`SELECT setval(pg_get_serial_sequence(${qualified}, $2), $3, true)`, [spec.name, spec.idColumn, target]);
}

function writer(client: pg.PoolClient): TableWriter {
  return {
    count: (table) => count(client, table),
    async insert(table, rows) {
      if (rows.length === 0) return;
      const spec = tableSpec(table);
      const columns = Object.keys(spec.columns);
      const kinds = Object.values(spec.columns);
      // One array per column (INSERT … SELECT FROM unnest): a few parameters however many rows,
      // where a VALUES list of a parameter per value makes PostgreSQL parse and plan tens of
      // thousands. WITH ORDINALITY keeps the rows' order, which numbers PostgreSQL's own `seq`.
      const list = columns.map(quoteName).join(', ');
      const arrays = kinds.map((k, i) => `$${i + 1}::${pgArrayType[k]}`).join(', ');
      const sql = `INSERT INTO ${quoteName(spec.name)} (${list}) OVERRIDING SYSTEM VALUE
        SELECT ${list} FROM unnest(${arrays}) WITH ORDINALITY AS v(${list}, migrate_ord) ORDER BY migrate_ord`;
      await client.query(sql, columns.map((_, i) => rows.map((row) => row[i] ?? null)));
    },
    async keepIdCounters(counters) {
      for (const [table, next] of counters) {
        const spec = tableSpec(table);
        if (spec.idColumn) await raiseSequence(client, spec, next);
      }
    },
  };
}

/** Every table of the PostgreSQL store (the schema of its pool) as rows. */
export function pgTables(pool: pg.Pool): TableStore {
  return {
    async counts() {
      const client = await pool.connect();
      try {
        const out = new Map<string, number>();
        for (const t of storeTables) out.set(t.name, await count(client, t.name));
        return out;
      } finally {
        client.release();
      }
    },
    async reading(fn) {
      const client = await pool.connect();
      try {
        // One snapshot of every table, as SQLite's read transaction holds one.
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const out = await fn(reader(client));
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    writing: (fn) =>
      inPgTransaction(pool, async (client) => {
        const out = await fn(writer(client));
        // Rows came with their ids: each sequence goes past them before anything else inserts.
        for (const spec of storeTables) if (spec.idColumn) await raiseSequence(client, spec, 0);
        return out;
      }),
  };
}
