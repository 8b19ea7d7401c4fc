import type pg from 'pg';
import { inPgTransaction } from '../../store/postgres/connection.ts';
import type { PingBucketRow, PingHistoryStore, PingSeriesFilter } from '../../store/types.ts';
import { toRow } from './bucket-row.ts';


/** A task id no row can have (1.5, 2^60): SQLite matches nothing, a BIGINT parameter would fail. */
const possibleTask = (task: number) => Number.isSafeInteger(task);

/** The series a filter names, as SQL over ping_series (s) with its parameters numbered from `first`. */
function seriesWhere(f: PingSeriesFilter, first = 1): { sql: string; args: unknown[] } {
  const parts: string[] = [];
  const args: unknown[] = [];
  if (f.task !== undefined) {
    args.push(f.task);
    parts.push(`s.task = $${first + args.length - 1}`);
  }
  if (f.node !== undefined) {
    args.push(f.node);
    parts.push(`s.node = $${first + args.length - 1}`);
  }
  return { sql: parts.length ? parts.join(' AND ') : 'TRUE', args };
}

/**
 * One row per (series, width, start), `keep` deciding which of repeated keys a batch holds:
 * PostgreSQL refuses to touch one row twice in a statement, SQLite's loop lets the last (REPLACE)
 * or the first (IGNORE) win.
 */
function uniqueRows(rows: readonly PingBucketRow[], keep: 'last' | 'first'): PingBucketRow[] {
  const byKey = new Map<string, PingBucketRow>();
  for (const r of rows) {
    const key = `${r.task}\u0000${r.node}\u0000${r.width}\u0000${r.start}`;
    if (keep === 'last' || !byKey.has(key)) byKey.set(key, r);
  }
  return [...byKey.values()];
}

/**
 * Writers and deleters of series take turns: a prune dropping an emptied series between a
 * writer's series insert and its bucket insert would lose the buckets. Writers hold ROW EXCLUSIVE
 * (their insert), which this mode conflicts with; readers are not blocked.
 */
const lockSeries = 'LOCK TABLE ping_series IN SHARE ROW EXCLUSIVE MODE';

/**
 * Ping buckets keyed by (series number, width, start), SQLite's layout. No series numbers are
 * cached: replicas share the database and a prune renumbers emptied series. A batch is two
 * statements whatever its size: the series it names, then its buckets joined to their numbers.
 */
export function pgPingHistory(pool: pg.Pool): PingHistoryStore {
  async function writeAll(input: readonly PingBucketRow[], conflict: 'update' | 'nothing'): Promise<number> {
    const rows = uniqueRows(input, conflict === 'update' ? 'last' : 'first');
    if (rows.length === 0) return 0;
    return inPgTransaction(pool, async (c) => {
      await c.query(
        `INSERT INTO ping_series (task, node) SELECT DISTINCT * FROM unnest($1::bigint[], $2::text[])
         ON CONFLICT (task, node) DO NOTHING`,
        [rows.map((r) => r.task), rows.map((r) => r.node)],
      );
      const onConflict =
        conflict === 'update'
          ? `DO UPDATE SET sent = EXCLUDED.sent, lost = EXCLUDED.lost, sum = EXCLUDED.sum, min = EXCLUDED.min,
               max = EXCLUDED.max, last = EXCLUDED.last, last_at = EXCLUDED.last_at`
          : 'DO NOTHING';
      const res = await c.query(
        `INSERT INTO ping_buckets (series, width, start, sent, lost, sum, min, max, last, last_at)
         SELECT s.id, v.width, v.start, v.sent, v.lost, v.sum, v.min, v.max, v.last, v.last_at
         FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[],
                     $7::float8[], $8::float8[], $9::float8[], $10::float8[], $11::bigint[])
           AS v(task, node, width, start, sent, lost, sum, min, max, last, last_at)
         JOIN ping_series s ON s.task = v.task AND s.node = v.node
         ON CONFLICT (series, width, start) ${onConflict}`,
        [
          rows.map((r) => r.task), rows.map((r) => r.node), rows.map((r) => r.width), rows.map((r) => r.start),
          rows.map((r) => r.sent), rows.map((r) => r.lost), rows.map((r) => r.sum), rows.map((r) => r.min),
          rows.map((r) => r.max), rows.map((r) => r.last), rows.map((r) => r.lastAt),
        ],
      );
      return res.rowCount ?? 0;
    });
  }

  return {
    async write(rows) {
      await writeAll(rows, 'update');
    },
    insertMissing: (rows) => writeAll(rows, 'nothing'),
    async range(filter, width, from, to) {
      if (filter.task !== undefined && !possibleTask(filter.task)) return [];
      const w = seriesWhere(filter, 4);
      // Nodes ordered byte-wise (COLLATE "C"), as SQLite's BINARY collation orders them.
      const sql = `SELECT s.task, s.node, b.* FROM ping_series s JOIN ping_buckets b ON b.series = s.id
        WHERE ${w.sql} AND b.width = $1 AND b.start BETWEEN $2 AND $3 ORDER BY b.start, s.task, s.node COLLATE "C"`;
      return (await pool.query(sql, [width, from, to, ...w.args])).rows.map(toRow);
    },
    async latest(task, node, width) {
      if (!possibleTask(task)) return undefined;
      const r = (
        await pool.query(
          `SELECT s.task, s.node, b.* FROM ping_series s JOIN ping_buckets b ON b.series = s.id
           WHERE s.task = $1 AND s.node = $2 AND b.width = $3 ORDER BY b.start DESC LIMIT 1`,
          [task, node, width],
        )
      ).rows[0] as Record<string, unknown> | undefined;
      return r ? toRow(r) : undefined;
    },
    async series() {
      return (await pool.query('SELECT task, node FROM ping_series ORDER BY id')).rows.map((r) => ({ task: Number(r.task), node: String(r.node) }));
    },
    async prune(cutoffs, maxRows) {
      const max = Math.max(1, Math.floor(maxRows));
      const deleted = await inPgTransaction(pool, (c) => deleteSome(c, cutoffs, max));
      if (deleted === max) return deleted;
      await inPgTransaction(pool, async (c) => {
        // Series with no rows left are dropped, so the series table stays bounded too.
        await c.query(lockSeries);
        await c.query('DELETE FROM ping_series s WHERE NOT EXISTS (SELECT 1 FROM ping_buckets b WHERE b.series = s.id)');
      });
      return deleted;
    },
    async deleteSeries(filter) {
      if (filter.task !== undefined && !possibleTask(filter.task)) return 0;
      const w = seriesWhere(filter);
      return inPgTransaction(pool, async (c) => {
        await c.query(lockSeries);
        const n = await c.query(`DELETE FROM ping_buckets WHERE series IN (SELECT s.id FROM ping_series s WHERE ${w.sql})`, w.args);
        await c.query(`DELETE FROM ping_series s WHERE ${w.sql}`, w.args);
        return n.rowCount ?? 0;
      });
    },
  };
}

/**
 * Up to `maxRows` rows past their width's cutoff, then of retired widths (a retired width leaves
 * ping_tiers once its last row is gone), each reached per series through the primary key
 * (series, width, start) as SQLite's prune does. Writers are not locked out: they write rows
 * newer than any cutoff. PostgreSQL has no DELETE … LIMIT: a bounded SELECT picks the ctids.
 */
async function deleteSome(c: pg.PoolClient, cutoffs: ReadonlyMap<number, number>, maxRows: number): Promise<number> {
  let left = maxRows;
  const some = async (where: string, args: unknown[]) => {
    const sql = `DELETE FROM ping_buckets WHERE ctid = ANY(ARRAY(
      SELECT b.ctid FROM ping_buckets b WHERE b.series = ANY(ARRAY(SELECT id FROM ping_series)) AND ${where} LIMIT $${args.length + 1}))`;
    left -= (await c.query(sql, [...args, left])).rowCount ?? 0;
  };
  for (const [width, before] of cutoffs) if (left > 0) await some('b.width = $1 AND b.start < $2', [width, before]);
  const known = (await c.query('SELECT width FROM ping_tiers')).rows.map((r) => Number(r.width));
  for (const w of known.filter((k) => !cutoffs.has(k))) {
    if (left === 0) break;
    await some('b.width = $1', [w]);
    if (left > 0) await c.query('DELETE FROM ping_tiers WHERE width = $1', [w]);
  }
  if (cutoffs.size > 0) {
    await c.query('INSERT INTO ping_tiers (width) SELECT unnest($1::bigint[]) ON CONFLICT DO NOTHING', [[...cutoffs.keys()]]);
  }
  return maxRows - left;
}
