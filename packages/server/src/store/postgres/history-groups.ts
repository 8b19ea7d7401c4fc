import type pg from 'pg';
import { decodeHistoryRow, historyColumnNames } from '../history-columns.ts';
import { slotsPerBlock } from '../history-slots.ts';
import type { HistoryGroupQuery, HistorySlotBlock, HistoryStore } from '../types.ts';

const bigintMin = '-9223372036854775808';
const bigintMax = '9223372036854775807';

/**
 * A range bound as a BIGINT parameter: starts are integers, so from ≤ start is ceil(from) ≤ start
 * (and start ≤ to is start ≤ floor(to)); bounds past BIGINT's range clamp to its ends. Comparing
 * with the number as a float instead would cast the column and lose the index.
 */
export function bound(x: number, round: (x: number) => number): number | string {
  const v = round(x);
  if (v <= -(2 ** 63)) return bigintMin;
  if (v >= 2 ** 63) return bigintMax;
  return v;
}

/** A number a BIGINT equals, or undefined when no stored width can (then nothing matches). */
export const bigintKey = (x: number) => (Number.isSafeInteger(x) ? x : undefined);

const selected = historyColumnNames.map((c) => `b.${c}`).join(', ');
const everyNode = 'b.node = ANY(ARRAY(SELECT id FROM history_nodes))';
const window = 'b.width = $1 AND b.start BETWEEN $2 AND $3';

/** $1–$4 of the statements below, or undefined when no row can match (a width no BIGINT equals, NaN). */
function params(q: HistoryGroupQuery): unknown[] | undefined {
  const w = bigintKey(q.width);
  if (w === undefined || !Number.isSafeInteger(q.groupMs) || q.groupMs <= 0 || Number.isNaN(q.from) || Number.isNaN(q.to)) return undefined;
  return [w, bound(q.from, Math.ceil), bound(q.to, Math.floor), q.groupMs];
}

/**
 * SQLite's reads over many nodes (store/sqlite/history-groups.ts), one statement each whatever
 * the number of nodes: node lists travel as arrays.
 */
export function pgHistoryGroups(pool: pg.Pool): Pick<HistoryStore, 'rangeAll' | 'slots' | 'groupRows'> {
  const arrays = async (text: string, values: unknown[]) => (await pool.query<unknown[]>({ text, values, rowMode: 'array' })).rows;
  return {
    async rangeAll(width, from, to) {
      const p = params({ width, from, to, groupMs: 1 });
      if (!p) return [];
      const rows = await arrays(
        `SELECT n.uuid, ${selected} FROM history_buckets b JOIN history_nodes n ON n.id = b.node
         WHERE ${everyNode} AND ${window} ORDER BY b.node, b.start`,
        p.slice(0, 3),
      );
      return rows.map((a) => decodeHistoryRow(String(a[0]), a, 1));
    },
    async slots(width, from, to) {
      const out = new Map<string, HistorySlotBlock[]>();
      const w = bigintKey(width);
      if (w === undefined || Number.isNaN(from) || Number.isNaN(to)) return out;
      // Node numbers, not uuids, per row: the uuids come once each.
      const [names, rows] = await Promise.all([
        arrays('SELECT id, uuid FROM history_nodes', []),
        arrays(
          `SELECT s.node, s.block, s.bits FROM history_slots s
           WHERE s.node = ANY(ARRAY(SELECT id FROM history_nodes)) AND s.width = $1 AND s.block > $2 AND s.block <= $3
           ORDER BY s.node, s.block`,
          [w, bound(from - w * 1000 * slotsPerBlock, Math.floor), bound(to, Math.floor)],
        ),
      ]);
      const uuidOf = new Map(names.map(([id, uuid]) => [String(id), String(uuid)]));
      for (const [id, block, bits] of rows) {
        const uuid = uuidOf.get(String(id));
        if (uuid === undefined) continue; // deleted since
        let list = out.get(uuid);
        if (!list) out.set(uuid, (list = []));
        list.push({ block: Number(block), bits: Number(bits) });
      }
      return out;
    },
    async groupRows(q, groups) {
      const p = params(q);
      if (!p || groups.size === 0) return [];
      const wanted = [...groups].flatMap(([uuid, starts]) => starts.map((g) => [uuid, g] as const));
      const rows = await arrays(
        // OFFSET 0 keeps the subquery a seek per group: pulled up, it was planned as a hash join
        // over a scan of the whole tier (2 s against 0.1 s for 4,000 groups)
        `SELECT q.uuid, b.* FROM unnest($5::text[], $6::bigint[]) WITH ORDINALITY AS q(uuid, g, k)
         JOIN history_nodes n ON n.uuid = q.uuid
         CROSS JOIN LATERAL (
           SELECT ${historyColumnNames.join(', ')} FROM history_buckets b WHERE b.node = n.id AND b.width = $1
             AND b.start BETWEEN greatest(q.g, $2::bigint) AND least(q.g + $4 - 1, $3::bigint) OFFSET 0
         ) b
         ORDER BY q.k, b.start`,
        [...p, wanted.map(([uuid]) => uuid), wanted.map(([, g]) => g)],
      );
      return rows.map((a) => decodeHistoryRow(String(a[0]), a, 1));
    },
  };
}
