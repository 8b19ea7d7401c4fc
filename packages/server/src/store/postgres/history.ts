import type pg from 'pg';
import { decodeHistoryRow, historyColumnNames, historyColumns } from '../history-columns.ts';
import { blockSql, slotChanges, type SlotChange } from '../history-slots.ts';
import type { HistoryRow, HistoryStore } from '../types.ts';
import { inPgTransaction } from './connection.ts';
import { bigintKey, bound, pgHistoryGroups } from './history-groups.ts';

const columns = historyColumns;
const names = historyColumnNames;
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

/**
 * A batch's rows with their slot bits (store/history-slots.ts) in one statement: rows stored with
 * samples set their bits (a no-op leaves the slot row untouched, no new row version); the node,
 * width and start of rows stored without samples come back, to clear theirs (never, in practice:
 * the engine writes no empty bucket). Slot rows are taken in key order, as clearSlots takes them.
 */
const writeSql = (conflict: 'update' | 'nothing') => `
  WITH ins AS (${insertSql(conflict)} RETURNING node, width, start, count),
  slots AS (
    INSERT INTO history_slots (node, width, block, bits)
    SELECT node, width, block, bit_or(1::bigint << ((start - block) / (width * 1000))::int) FROM (
      SELECT node, width, start, ${blockSql('start', 'width')} AS block FROM ins WHERE count > 0
    ) b GROUP BY node, width, block ORDER BY node, width, block
    ON CONFLICT (node, width, block) DO UPDATE SET bits = history_slots.bits | EXCLUDED.bits
    WHERE history_slots.bits | EXCLUDED.bits <> history_slots.bits)
  SELECT (SELECT count(*) FROM ins)::int AS n,
    (SELECT json_agg(json_build_array(node, width, start)) FROM ins WHERE count = 0) AS empty`;
const upsertSql = writeSql('update');
const insertNewSql = writeSql('nothing');

/** Clears slot bits (deleted rows, rows stored without samples) and drops slot rows left empty. */
async function clearSlots(c: pg.PoolClient, changes: readonly SlotChange[]): Promise<void> {
  if (changes.length === 0) return;
  const keys = [changes.map((x) => x.node), changes.map((x) => x.width), changes.map((x) => x.block)];
  const k = 'unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS k(node, width, block)';
  const match = 's.node = k.node AND s.width = k.width AND s.block = k.block';
  await c.query(`SELECT 1 FROM history_slots s JOIN ${k} ON ${match} ORDER BY s.node, s.width, s.block FOR UPDATE OF s`, keys);
  await c.query(
    `UPDATE history_slots s SET bits = s.bits & ~k.clear
     FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[]) AS k(node, width, block, clear) WHERE ${match}`,
    [...keys, changes.map((x) => x.clear)],
  );
  await c.query(`DELETE FROM history_slots s USING ${k} WHERE ${match} AND s.bits = 0`, keys);
}

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

/**
 * SQLite's history rollups (store/sqlite/history.ts) on PostgreSQL: the same tables, keys and
 * answers. Writes send a batch as one array per column (INSERT … SELECT FROM unnest), so a
 * flush of thousands of buckets is a few round trips, not one per row.
 */
export function pgHistory(pool: pg.Pool): HistoryStore {
  /** `replace`: write's upsert (the last of a key wins); else insertMissing's (stored rows and the first win). */
  async function writeAll(replace: boolean, input: readonly HistoryRow[]): Promise<number> {
    if (input.length === 0) return 0;
    const rows = distinct(input, replace ? 'last' : 'first');
    const chunks: unknown[][] = [];
    for (let i = 0; i < rows.length; i += historyRowsPerStatement) chunks.push(params(rows.slice(i, i + historyRowsPerStatement)));
    return inPgTransaction(pool, async (c) => {
      await c.query(nodesSql, [[...new Set(rows.map((r) => r.node))]]);
      let n = 0;
      for (const p of chunks) {
        const res = (await c.query<{ n: number; empty: [string, string, string][] | null }>(replace ? upsertSql : insertNewSql, p)).rows[0]!;
        n += res.n;
        // An empty row inserted where none was sets nothing: only an overwrite can clear a bit.
        if (res.empty && replace) {
          await clearSlots(c, slotChanges(res.empty.map(([node, width, start]) => ({ node: Number(node), width: Number(width), start: Number(start), present: false }))));
        }
      }
      return n;
    });
  }

  return {
    async write(rows) {
      await writeAll(true, rows);
    },
    // SQLite's INSERT OR IGNORE skips a row its NOT NULL refuses (a NaN) as it skips a duplicate.
    insertMissing: (rows) => writeAll(false, rows.filter((r) => !hasNaN(r))),
    async range(node, width, from, to) {
      const w = bigintKey(width);
      if (w === undefined || Number.isNaN(from) || Number.isNaN(to)) return [];
      const res = await pool.query<unknown[]>({
        text: `${selectSql} AND b.start BETWEEN $3 AND $4 ORDER BY b.start`,
        values: [node, w, bound(from, Math.ceil), bound(to, Math.floor)],
        rowMode: 'array',
      });
      return res.rows.map((a) => decodeHistoryRow(node, a));
    },
    async latest(node, width) {
      const w = bigintKey(width);
      if (w === undefined) return undefined;
      const res = await pool.query<unknown[]>({ text: `${selectSql} ORDER BY b.start DESC LIMIT 1`, values: [node, w], rowMode: 'array' });
      const a = res.rows[0];
      return a === undefined ? undefined : decodeHistoryRow(node, a);
    },
    ...pgHistoryGroups(pool),
    prune: (cutoffs, maxRows) => inPgTransaction(pool, (c) => pruneSome(c, cutoffs, Math.max(1, Math.floor(maxRows)))),
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
 * As SQLite's: up to `maxRows` rows, per configured width those before its cutoff, then every row
 * of a width seen before and no longer configured, which leaves history_tiers once its last row
 * is gone. `node = ANY(ARRAY(…))` gives the planner the node list as an array, so each delete is
 * one index range per node on the (node, width, start) key; a join on history_nodes planned as a
 * scan of the whole table (80 ms against 6 ms on 600k rows). PostgreSQL has no DELETE … LIMIT:
 * the rows are picked by a bounded SELECT of their ctid.
 */
async function pruneSome(c: pg.PoolClient, cutoffs: ReadonlyMap<number, number>, maxRows: number): Promise<number> {
  let left = maxRows;
  const perNode = 'node = ANY(ARRAY(SELECT id FROM history_nodes)) AND width = $1';
  const deleteSome = async (where: string, args: unknown[]) => {
    const sql = `DELETE FROM history_buckets WHERE ctid = ANY(ARRAY(
      SELECT ctid FROM history_buckets WHERE ${where} LIMIT $${args.length + 1})) RETURNING node, width, start`;
    const gone = (await c.query<{ node: string; width: string; start: string }>(sql, [...args, left])).rows;
    await clearSlots(c, slotChanges(gone.map((r) => ({ node: Number(r.node), width: Number(r.width), start: Number(r.start), present: false }))));
    left -= gone.length;
  };
  const configured: number[] = [];
  for (const [width, before] of cutoffs) {
    const w = bigintKey(width);
    if (w === undefined || Number.isNaN(before)) continue;
    configured.push(w);
    if (left > 0) await deleteSome(`${perNode} AND start < $2`, [w, bound(before, Math.ceil)]);
  }
  const known = (await c.query('SELECT width FROM history_tiers')).rows.map((r: { width: string }) => Number(r.width));
  for (const w of known.filter((k) => !cutoffs.has(k))) {
    if (left === 0) break;
    await deleteSome(perNode, [w]);
    if (left > 0) await c.query('DELETE FROM history_tiers WHERE width = $1', [w]);
  }
  await c.query('INSERT INTO history_tiers (width) SELECT unnest($1::bigint[]) ON CONFLICT DO NOTHING', [configured]);
  return maxRows - left;
}
