import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import { inTransaction } from '../../store/sqlite/transaction.ts';
import type { PingBucketRow, PingHistoryStore, PingSeriesFilter } from '../../store/types.ts';
import { toRow } from './bucket-row.ts';

const columns = ['sent', 'lost', 'sum', 'min', 'max', 'last', 'last_at'] as const;
const insertSql = (conflict: 'REPLACE' | 'IGNORE') => `INSERT OR ${conflict} INTO ping_buckets (series, width, start, ${columns.join(', ')})
  VALUES (${Array(columns.length + 3).fill('?').join(', ')})`;


/** The series a filter names, as SQL over ping_series (s) with its parameters. */
function seriesWhere(f: PingSeriesFilter): { sql: string; args: SQLInputValue[] } {
  const parts: string[] = [];
  const args: SQLInputValue[] = [];
  if (f.task !== undefined) {
    parts.push('s.task = ?');
    args.push(f.task);
  }
  if (f.node !== undefined) {
    parts.push('s.node = ?');
    args.push(f.node);
  }
  return { sql: parts.length ? parts.join(' AND ') : '1', args };
}

/**
 * Ping buckets keyed by (series number, width, start), the layout of history_buckets: each query
 * resolves its series first (by task through the unique index, by node through its index), then
 * seeks the primary key per series.
 */
export function sqlitePingHistory(db: DatabaseSync): PingHistoryStore {
  const ids = new Map<string, number>();
  const idOf = (task: number, node: string, create: boolean): number | undefined => {
    const key = `${task}:${node}`;
    const cached = ids.get(key);
    if (cached !== undefined) return cached;
    if (create) db.prepare('INSERT OR IGNORE INTO ping_series (task, node) VALUES (?, ?)').run(task, node);
    const r = db.prepare('SELECT id FROM ping_series WHERE task = ? AND node = ?').get(task, node);
    if (r === undefined) return undefined;
    ids.set(key, Number(r.id));
    return Number(r.id);
  };
  const insert = db.prepare(insertSql('REPLACE'));
  const insertNew = db.prepare(insertSql('IGNORE'));
  // Series numbers handed out inside a rolled-back transaction do not exist.
  const writeAll = (stmt: typeof insert, rows: readonly PingBucketRow[]): number => {
    try {
      return inTransaction(db, () => {
        let n = 0;
        for (const r of rows) n += Number(stmt.run(idOf(r.task, r.node, true)!, r.width, r.start, r.sent, r.lost, r.sum, r.min, r.max, r.last, r.lastAt).changes);
        return n;
      });
    } catch (err) {
      ids.clear();
      throw err;
    }
  };
  const latestStmt = db.prepare('SELECT * FROM ping_buckets WHERE series = ? AND width = ? ORDER BY start DESC LIMIT 1');

  return {
    async write(rows) {
      writeAll(insert, rows);
    },
    async insertMissing(rows) {
      return writeAll(insertNew, rows);
    },
    async range(filter, width, from, to) {
      const w = seriesWhere(filter);
      const sql = `SELECT s.task, s.node, b.* FROM ping_series s JOIN ping_buckets b ON b.series = s.id
        WHERE ${w.sql} AND b.width = ? AND b.start BETWEEN ? AND ? ORDER BY b.start, s.task, s.node`;
      return db.prepare(sql).all(...w.args, width, from, to).map(toRow);
    },
    async latest(task, node, width) {
      const id = idOf(task, node, false);
      const d = id === undefined ? undefined : latestStmt.get(id, width);
      return d === undefined ? undefined : toRow({ ...d, task, node });
    },
    async series() {
      return db.prepare('SELECT task, node FROM ping_series ORDER BY id').all().map((r) => ({ task: Number(r.task), node: String(r.node) }));
    },
    async prune(cutoffs, maxRows) {
      const n = inTransaction(db, () => pruneSome(db, cutoffs, Math.max(1, Math.floor(maxRows))));
      ids.clear(); // emptied series lose their numbers
      return n;
    },
    async deleteSeries(filter) {
      const w = seriesWhere(filter);
      return inTransaction(db, () => {
        const inSeries = `series IN (SELECT s.id FROM ping_series s WHERE ${w.sql})`;
        const n = db.prepare(`DELETE FROM ping_buckets WHERE ${inSeries}`).run(...w.args).changes;
        db.prepare(`DELETE FROM ping_series AS s WHERE ${w.sql}`).run(...w.args);
        ids.clear();
        return Number(n);
      });
    },
  };
}

/**
 * Up to `maxRows` rows, as history's pruneSome (store/sqlite/history.ts); the call that finds
 * fewer left also drops the series it emptied.
 */
function pruneSome(db: DatabaseSync, cutoffs: ReadonlyMap<number, number>, maxRows: number): number {
  let left = maxRows;
  const perSeries = 'series IN (SELECT id FROM ping_series) AND width = ?';
  const deleteSome = (where: string, ...args: SQLInputValue[]) => {
    const sql = `DELETE FROM ping_buckets WHERE (series, width, start) IN
      (SELECT series, width, start FROM ping_buckets WHERE ${where} LIMIT ?)`;
    left -= Number(db.prepare(sql).run(...args, left).changes);
  };
  for (const [width, before] of cutoffs) if (left > 0) deleteSome(`${perSeries} AND start < ?`, width, before);
  const known = db.prepare('SELECT width FROM ping_tiers').all().map((r) => Number(r.width));
  for (const width of known.filter((w) => !cutoffs.has(w))) {
    if (left === 0) break;
    deleteSome(perSeries, width);
    if (left > 0) db.prepare('DELETE FROM ping_tiers WHERE width = ?').run(width);
  }
  for (const width of cutoffs.keys()) db.prepare('INSERT OR IGNORE INTO ping_tiers (width) VALUES (?)').run(width);
  // Series with no rows left are dropped, so the series table stays bounded too.
  if (left > 0) db.exec('DELETE FROM ping_series WHERE NOT EXISTS (SELECT 1 FROM ping_buckets b WHERE b.series = ping_series.id)');
  return maxRows - left;
}
