import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import { decodeHistoryRow, historyColumnNames, historyColumns } from '../history-columns.ts';
import { slotChanges } from '../history-slots.ts';
import type { HistoryRow, HistoryStore } from '../types.ts';
import { arrayStatement, selectColumns, sqliteHistoryGroups } from './history-groups.ts';
import { SqliteSlots } from './history-slots.ts';
import { inTransaction } from './transaction.ts';

const scalarColumns = historyColumns.filter(([c]) => c !== 'width' && c !== 'start');
const insertSql = (conflict: 'REPLACE' | 'IGNORE') => `INSERT OR ${conflict} INTO history_buckets (node, ${historyColumnNames.join(', ')})
  VALUES (${Array(historyColumnNames.length + 1).fill('?').join(', ')})`;

function values(nodeId: number, r: HistoryRow): SQLInputValue[] {
  return [nodeId, r.width, r.start, ...scalarColumns.map(([, , get]) => get(r))];
}

/**
 * Rollup rows keyed by (node number, width, start). Every query names the node first, so it is
 * a seek on the primary key; pruning reaches all nodes through `node IN (SELECT id ...)`, which
 * SQLite runs as one seek per node rather than a scan of the table.
 */
export function sqliteHistory(db: DatabaseSync): HistoryStore {
  const ids = new Map<string, number>();
  const idOf = (uuid: string, create: boolean): number | undefined => {
    const cached = ids.get(uuid);
    if (cached !== undefined) return cached;
    if (create) db.prepare('INSERT OR IGNORE INTO history_nodes (uuid) VALUES (?)').run(uuid);
    const r = db.prepare('SELECT id FROM history_nodes WHERE uuid = ?').get(uuid);
    if (r === undefined) return undefined;
    ids.set(uuid, Number(r.id));
    return Number(r.id);
  };
  const insert = db.prepare(insertSql('REPLACE'));
  const insertNew = db.prepare(insertSql('IGNORE'));
  const slots = new SqliteSlots(db);
  /** Writes rows and their slots; `replace` false keeps stored rows (insertMissing). Returns rows written. */
  const writeAll = (replace: boolean, rows: readonly HistoryRow[]): number => {
    try {
      return inTransaction(db, () => {
        const written: { node: number; width: number; start: number; present: boolean }[] = [];
        for (const r of rows) {
          const node = idOf(r.node, true)!;
          if (Number((replace ? insert : insertNew).run(...values(node, r)).changes) > 0) {
            written.push({ node, width: r.width, start: r.start, present: r.count > 0 });
          }
        }
        slots.apply(slotChanges(written));
        return written.length;
      });
    } catch (err) {
      // Node numbers handed out and slots remembered inside a rolled-back transaction do not exist.
      ids.clear();
      slots.forget();
      throw err;
    }
  };
  const rangeStmt = arrayStatement(db, `SELECT ${selectColumns} FROM history_buckets b
    WHERE b.node = ? AND b.width = ? AND b.start BETWEEN ? AND ? ORDER BY b.start`);
  const latestStmt = arrayStatement(db, `SELECT ${selectColumns} FROM history_buckets b
    WHERE b.node = ? AND b.width = ? ORDER BY b.start DESC LIMIT 1`);

  return {
    async write(rows) {
      writeAll(true, rows);
    },
    async insertMissing(rows) {
      return writeAll(false, rows);
    },
    async range(node, width, from, to) {
      const id = idOf(node, false);
      if (id === undefined) return [];
      return (rangeStmt.all(id, width, from, to) as unknown as unknown[][]).map((a) => decodeHistoryRow(node, a));
    },
    async latest(node, width) {
      const id = idOf(node, false);
      const a = id === undefined ? undefined : (latestStmt.get(id, width) as unknown as unknown[] | undefined);
      return a === undefined ? undefined : decodeHistoryRow(node, a);
    },
    ...sqliteHistoryGroups(db),
    async prune(cutoffs, maxRows) {
      try {
        return inTransaction(db, () => pruneSome(db, slots, cutoffs, Math.max(1, Math.floor(maxRows))));
      } finally {
        slots.forget();
      }
    },
    async deleteNode(node) {
      const id = idOf(node, false);
      if (id === undefined) return 0;
      return inTransaction(db, () => {
        const n = db.prepare('DELETE FROM history_buckets WHERE node = ?').run(id).changes;
        db.prepare('DELETE FROM history_slots WHERE node = ?').run(id);
        db.prepare('DELETE FROM history_nodes WHERE id = ?').run(id);
        ids.delete(node);
        slots.forget();
        return Number(n);
      });
    },
    async deleteAll() {
      return inTransaction(db, () => {
        const n = db.prepare('DELETE FROM history_buckets').run().changes;
        db.prepare('DELETE FROM history_slots').run();
        db.prepare('DELETE FROM history_nodes').run();
        ids.clear();
        slots.forget();
        return Number(n);
      });
    },
  };
}

/**
 * Up to `maxRows` rows past their cutoffs, then of retired widths, their slots cleared in the same
 * transaction. A retired width leaves history_tiers only once its last row is gone, so a prune cut
 * short by the bound finds it again.
 */
function pruneSome(db: DatabaseSync, slots: SqliteSlots, cutoffs: ReadonlyMap<number, number>, maxRows: number): number {
  let left = maxRows;
  const perNode = 'node IN (SELECT id FROM history_nodes) AND width = ?';
  // SQLite has no DELETE … LIMIT unless built with it: the keys come from a bounded SELECT.
  const deleteSome = (where: string, ...args: SQLInputValue[]) => {
    const sql = `DELETE FROM history_buckets WHERE (node, width, start) IN
      (SELECT node, width, start FROM history_buckets WHERE ${where} LIMIT ?) RETURNING node, width, start`;
    const gone = db.prepare(sql).all(...args, left);
    slots.apply(slotChanges(gone.map((r) => ({ node: Number(r.node), width: Number(r.width), start: Number(r.start), present: false }))));
    left -= gone.length;
  };
  for (const [width, before] of cutoffs) if (left > 0) deleteSome(`${perNode} AND start < ?`, width, before);
  const known = db.prepare('SELECT width FROM history_tiers').all().map((r) => Number(r.width));
  for (const width of known.filter((w) => !cutoffs.has(w))) {
    if (left === 0) break;
    deleteSome(perNode, width);
    if (left > 0) db.prepare('DELETE FROM history_tiers WHERE width = ?').run(width);
  }
  for (const width of cutoffs.keys()) db.prepare('INSERT OR IGNORE INTO history_tiers (width) VALUES (?)').run(width);
  return maxRows - left;
}
