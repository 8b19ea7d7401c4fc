import type pg from 'pg';
import type { HistoryGauge, HistoryRow, HistoryStore } from '../types.ts';
import { inPgTransaction } from './connection.ts';

// Object keys, not a list, so adding a gauge to HistoryGauge fails to typecheck until it has a column.
const gaugeColumns: Record<HistoryGauge, true> = {
  cpu: true, gpu: true, ram: true, swap: true, load: true, disk: true,
  net_in: true, net_out: true, process: true, connections: true, connections_udp: true,
};
const gauges = Object.keys(gaugeColumns) as HistoryGauge[];

type Column = readonly [name: string, type: 'bigint' | 'float8', get: (r: HistoryRow) => number];

/** Every stored column but the node, in one order for the arrays, the INSERT and the reads. */
const columns: readonly Column[] = [
  ['width', 'bigint', (r) => r.width],
  ['start', 'bigint', (r) => r.start],
  ['count', 'bigint', (r) => r.count],
  ['gpu_count', 'bigint', (r) => r.gpuCount],
  ['last_at', 'bigint', (r) => r.lastAt],
  ['net_total_up', 'float8', (r) => r.netTotalUp],
  ['net_total_down', 'float8', (r) => r.netTotalDown],
  ['ram_total', 'float8', (r) => r.ramTotal],
  ['swap_total', 'float8', (r) => r.swapTotal],
  ['disk_total', 'float8', (r) => r.diskTotal],
  ['traffic_up', 'float8', (r) => r.trafficUp],
  ['traffic_down', 'float8', (r) => r.trafficDown],
  ...gauges.flatMap((g): Column[] => [
    [`${g}_sum`, 'float8', (r) => r.sum[g]],
    [`${g}_max`, 'float8', (r) => r.max[g]],
  ]),
];
const names = columns.map(([c]) => c);
const valueNames = names.filter((c) => c !== 'width' && c !== 'start');

/**
 * Rows per statement: one statement carries a whole batch as arrays (one parameter per column,
 * whatever the batch's size), and a bound keeps each statement's arrays a few MB at most.
 */
export const historyRowsPerStatement = 2000;

const insertSql = (conflict: 'update' | 'nothing') => `
  INSERT INTO history_buckets (node, ${names.join(', ')})
  SELECT n.id, ${names.map((c) => `v.${c}`).join(', ')}
  FROM unnest($1::text[], ${columns.map(([, t], i) => `$${i + 2}::${t}[]`).join(', ')}) AS v(uuid, ${names.join(', ')})
  JOIN history_nodes n ON n.uuid = v.uuid
  ORDER BY n.id, v.width, v.start
  ON CONFLICT (node, width, start) DO ${conflict === 'update'
    ? `UPDATE SET ${valueNames.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`
    : 'NOTHING'}`;
const upsertSql = insertSql('update');
const insertNewSql = insertSql('nothing');

/**
 * Numbers every uuid of the batch and locks their rows until commit (ON CONFLICT … WHERE false
 * locks the existing row without writing a new version of it), so a deleteNode running at the
 * same time waits for this write, or this write for it, as SQLite's single writer orders them.
 * Sorted, so two writes lock shared nodes in one order and never deadlock.
 */
const nodesSql = `
  INSERT INTO history_nodes (uuid) SELECT u FROM unnest($1::text[]) AS u ORDER BY u
  ON CONFLICT (uuid) DO UPDATE SET uuid = EXCLUDED.uuid WHERE false`;

const selectSql = `SELECT ${names.map((c) => `b.${c}`).join(', ')} FROM history_buckets b
  JOIN history_nodes n ON n.id = b.node WHERE n.uuid = $1 AND b.width = $2`;

const key = (r: HistoryRow) => `${r.width}\u0000${r.start}\u0000${r.node}`;

/**
 * One row per (node, width, start), as SQLite's row-by-row INSERT leaves it: the last wins for an
 * upsert, the first for insertMissing. (One PostgreSQL statement may not touch a row twice.)
 */
function distinct(rows: readonly HistoryRow[], keep: 'first' | 'last'): HistoryRow[] {
  const out = new Map<string, HistoryRow>();
  for (const r of rows) {
    const k = key(r);
    if (keep === 'last') out.delete(k);
    if (!out.has(k)) out.set(k, r);
  }
  return [...out.values()];
}

function params(rows: readonly HistoryRow[]): unknown[] {
  return [
    rows.map((r) => r.node),
    ...columns.map(([name, , get]) =>
      rows.map((r) => {
        const v = get(r);
        // SQLite stores NaN as NULL, which the NOT NULL columns refuse; PostgreSQL would keep it.
        if (Number.isNaN(v)) throw new Error(`history ${name} is NaN`);
        return v;
      }),
    ),
  ];
}

const hasNaN = (r: HistoryRow) => columns.some(([, , get]) => Number.isNaN(get(r)));

// SQLite keeps an integral REAL as an integer, so −0 reads back as 0. `pg` already sends −0 as
// "0"; `+ 0` keeps a −0 some other writer stored from reading back as −0.
const num = (v: unknown) => Number(v) + 0;

function toRow(uuid: string, d: Record<string, unknown>): HistoryRow {
  const sum = {} as Record<HistoryGauge, number>;
  const max = {} as Record<HistoryGauge, number>;
  for (const g of gauges) {
    sum[g] = num(d[`${g}_sum`]);
    max[g] = num(d[`${g}_max`]);
  }
  return {
    node: uuid,
    width: num(d.width),
    start: num(d.start),
    count: num(d.count),
    gpuCount: num(d.gpu_count),
    sum,
    max,
    lastAt: num(d.last_at),
    netTotalUp: num(d.net_total_up),
    netTotalDown: num(d.net_total_down),
    ramTotal: num(d.ram_total),
    swapTotal: num(d.swap_total),
    diskTotal: num(d.disk_total),
    trafficUp: num(d.traffic_up),
    trafficDown: num(d.traffic_down),
  };
}

const bigintMin = '-9223372036854775808';
const bigintMax = '9223372036854775807';

/**
 * A range bound as a BIGINT parameter: starts are integers, so from ≤ start is ceil(from) ≤ start
 * (and start ≤ to is start ≤ floor(to)); bounds past BIGINT's range clamp to its ends. Comparing
 * with the number as a float instead would cast the column and lose the index.
 */
function bound(x: number, round: (x: number) => number): number | string {
  const v = round(x);
  if (v <= -(2 ** 63)) return bigintMin;
  if (v >= 2 ** 63) return bigintMax;
  return v;
}

/** A number a BIGINT equals, or undefined when no stored width can (then nothing matches). */
const bigintKey = (x: number) => (Number.isSafeInteger(x) ? x : undefined);

/**
 * SQLite's history rollups (store/sqlite/history.ts) on PostgreSQL: the same tables, keys and
 * answers. Writes send a batch as one array per column (INSERT … SELECT FROM unnest), so a
 * flush of thousands of buckets is a few round trips, not one per row.
 */
export function pgHistory(pool: pg.Pool): HistoryStore {
  async function writeAll(sql: string, input: readonly HistoryRow[], keep: 'first' | 'last'): Promise<number> {
    if (input.length === 0) return 0;
    const rows = distinct(input, keep);
    const chunks: unknown[][] = [];
    for (let i = 0; i < rows.length; i += historyRowsPerStatement) chunks.push(params(rows.slice(i, i + historyRowsPerStatement)));
    return inPgTransaction(pool, async (c) => {
      await c.query(nodesSql, [[...new Set(rows.map((r) => r.node))]]);
      let n = 0;
      for (const p of chunks) n += (await c.query(sql, p)).rowCount ?? 0;
      return n;
    });
  }

  return {
    async write(rows) {
      await writeAll(upsertSql, rows, 'last');
    },
    // SQLite's INSERT OR IGNORE skips a row its NOT NULL refuses (a NaN) as it skips a duplicate.
    insertMissing: (rows) => writeAll(insertNewSql, rows.filter((r) => !hasNaN(r)), 'first'),
    async range(node, width, from, to) {
      const w = bigintKey(width);
      if (w === undefined || Number.isNaN(from) || Number.isNaN(to)) return [];
      const res = await pool.query(`${selectSql} AND b.start BETWEEN $3 AND $4 ORDER BY b.start`, [
        node, w, bound(from, Math.ceil), bound(to, Math.floor),
      ]);
      return res.rows.map((d: Record<string, unknown>) => toRow(node, d));
    },
    async latest(node, width) {
      const w = bigintKey(width);
      if (w === undefined) return undefined;
      const d = (await pool.query(`${selectSql} ORDER BY b.start DESC LIMIT 1`, [node, w])).rows[0] as
        | Record<string, unknown>
        | undefined;
      return d === undefined ? undefined : toRow(node, d);
    },
    prune: (cutoffs) => inPgTransaction(pool, (c) => pruneAll(c, cutoffs)),
    deleteNode: (node) =>
      inPgTransaction(pool, async (c) => {
        const id = (await c.query('SELECT id FROM history_nodes WHERE uuid = $1 FOR UPDATE', [node])).rows[0]?.id;
        if (id === undefined) return 0;
        const n = (await c.query('DELETE FROM history_buckets WHERE node = $1', [id])).rowCount ?? 0;
        await c.query('DELETE FROM history_nodes WHERE id = $1', [id]);
        return n;
      }),
    deleteAll: () =>
      inPgTransaction(pool, async (c) => {
        const n = (await c.query('DELETE FROM history_buckets')).rowCount ?? 0;
        await c.query('DELETE FROM history_nodes');
        return n;
      }),
  };
}

/**
 * As SQLite's: per configured width the rows before its cutoff, then every row of a width seen
 * before and no longer configured. `node = ANY(ARRAY(…))` gives the planner the node list as an
 * array, so each delete is one index range per node on the (node, width, start) key; a join on
 * history_nodes planned as a scan of the whole table (80 ms against 6 ms on 600k rows).
 */
async function pruneAll(c: pg.PoolClient, cutoffs: ReadonlyMap<number, number>): Promise<number> {
  const perNode = 'DELETE FROM history_buckets WHERE node = ANY(ARRAY(SELECT id FROM history_nodes)) AND width = $1';
  let deleted = 0;
  const configured: number[] = [];
  for (const [width, before] of cutoffs) {
    const w = bigintKey(width);
    if (w === undefined || Number.isNaN(before)) continue;
    configured.push(w);
    deleted += (await c.query(`${perNode} AND start < $2`, [w, bound(before, Math.ceil)])).rowCount ?? 0;
  }
  const known = (await c.query('SELECT width FROM history_tiers')).rows.map((r: { width: string }) => Number(r.width));
  const retired = known.filter((w) => !cutoffs.has(w));
  for (const w of retired) deleted += (await c.query(perNode, [w])).rowCount ?? 0;
  if (retired.length > 0) await c.query('DELETE FROM history_tiers WHERE width = ANY($1::bigint[])', [retired]);
  await c.query('INSERT INTO history_tiers (width) SELECT unnest($1::bigint[]) ON CONFLICT DO NOTHING', [configured]);
  return deleted;
}
