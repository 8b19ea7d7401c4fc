import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import type { HistoryGauge, HistoryRow, HistoryStore } from '../types.ts';
import { inTransaction } from './transaction.ts';

// Object keys, not a list, so adding a gauge to HistoryGauge fails to typecheck until it has a column.
const gaugeColumns: Record<HistoryGauge, true> = {
  cpu: true, gpu: true, ram: true, swap: true, load: true, disk: true,
  net_in: true, net_out: true, process: true, connections: true, connections_udp: true,
};
const gauges = Object.keys(gaugeColumns) as HistoryGauge[];

const scalarColumns = [
  ['count', (r: HistoryRow) => r.count],
  ['gpu_count', (r: HistoryRow) => r.gpuCount],
  ['last_at', (r: HistoryRow) => r.lastAt],
  ['net_total_up', (r: HistoryRow) => r.netTotalUp],
  ['net_total_down', (r: HistoryRow) => r.netTotalDown],
  ['ram_total', (r: HistoryRow) => r.ramTotal],
  ['swap_total', (r: HistoryRow) => r.swapTotal],
  ['disk_total', (r: HistoryRow) => r.diskTotal],
  ['traffic_up', (r: HistoryRow) => r.trafficUp],
  ['traffic_down', (r: HistoryRow) => r.trafficDown],
] as const;

const valueColumns = [
  ...scalarColumns.map(([c]) => c),
  ...gauges.flatMap((g) => [`${g}_sum`, `${g}_max`]),
];
const insertSql = (conflict: 'REPLACE' | 'IGNORE') => `INSERT OR ${conflict} INTO history_buckets (node, width, start, ${valueColumns.join(', ')})
  VALUES (${Array(valueColumns.length + 3).fill('?').join(', ')})`;

function values(nodeId: number, r: HistoryRow): SQLInputValue[] {
  return [
    nodeId, r.width, r.start,
    ...scalarColumns.map(([, get]) => get(r)),
    ...gauges.flatMap((g) => [r.sum[g], r.max[g]]),
  ];
}

function toRow(uuid: string, d: Record<string, unknown>): HistoryRow {
  const sum = {} as Record<HistoryGauge, number>;
  const max = {} as Record<HistoryGauge, number>;
  for (const g of gauges) {
    sum[g] = Number(d[`${g}_sum`]);
    max[g] = Number(d[`${g}_max`]);
  }
  return {
    node: uuid,
    width: Number(d.width),
    start: Number(d.start),
    count: Number(d.count),
    gpuCount: Number(d.gpu_count),
    sum,
    max,
    lastAt: Number(d.last_at),
    netTotalUp: Number(d.net_total_up),
    netTotalDown: Number(d.net_total_down),
    ramTotal: Number(d.ram_total),
    swapTotal: Number(d.swap_total),
    diskTotal: Number(d.disk_total),
    trafficUp: Number(d.traffic_up),
    trafficDown: Number(d.traffic_down),
  };
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
  // Node numbers handed out inside a rolled-back transaction do not exist.
  const writeAll = (stmt: typeof insert, rows: readonly HistoryRow[]): number => {
    try {
      return inTransaction(db, () => {
        let n = 0;
        for (const r of rows) n += Number(stmt.run(...values(idOf(r.node, true)!, r)).changes);
        return n;
      });
    } catch (err) {
      ids.clear();
      throw err;
    }
  };
  const rangeStmt = db.prepare(
    'SELECT * FROM history_buckets WHERE node = ? AND width = ? AND start BETWEEN ? AND ? ORDER BY start',
  );
  const latestStmt = db.prepare('SELECT * FROM history_buckets WHERE node = ? AND width = ? ORDER BY start DESC LIMIT 1');

  return {
    async write(rows) {
      writeAll(insert, rows);
    },
    async insertMissing(rows) {
      return writeAll(insertNew, rows);
    },
    async range(node, width, from, to) {
      const id = idOf(node, false);
      if (id === undefined) return [];
      return rangeStmt.all(id, width, from, to).map((d) => toRow(node, d));
    },
    async latest(node, width) {
      const id = idOf(node, false);
      const d = id === undefined ? undefined : latestStmt.get(id, width);
      return d === undefined ? undefined : toRow(node, d);
    },
    async prune(cutoffs) {
      return inTransaction(db, () => pruneAll(db, cutoffs));
    },
    async deleteNode(node) {
      const id = idOf(node, false);
      if (id === undefined) return 0;
      return inTransaction(db, () => {
        const n = db.prepare('DELETE FROM history_buckets WHERE node = ?').run(id).changes;
        db.prepare('DELETE FROM history_nodes WHERE id = ?').run(id);
        ids.delete(node);
        return Number(n);
      });
    },
    async deleteAll() {
      return inTransaction(db, () => {
        const n = db.prepare('DELETE FROM history_buckets').run().changes;
        db.prepare('DELETE FROM history_nodes').run();
        ids.clear();
        return Number(n);
      });
    },
  };
}

function pruneAll(db: DatabaseSync, cutoffs: ReadonlyMap<number, number>): number {
  const perNode = 'node IN (SELECT id FROM history_nodes) AND width = ?';
  let deleted = 0;
  for (const [width, before] of cutoffs) {
    deleted += Number(db.prepare(`DELETE FROM history_buckets WHERE ${perNode} AND start < ?`).run(width, before).changes);
  }
  const known = db.prepare('SELECT width FROM history_tiers').all().map((r) => Number(r.width));
  for (const width of known.filter((w) => !cutoffs.has(w))) {
    deleted += Number(db.prepare(`DELETE FROM history_buckets WHERE ${perNode}`).run(width).changes);
    db.prepare('DELETE FROM history_tiers WHERE width = ?').run(width);
  }
  for (const width of cutoffs.keys()) db.prepare('INSERT OR IGNORE INTO history_tiers (width) VALUES (?)').run(width);
  return deleted;
}
