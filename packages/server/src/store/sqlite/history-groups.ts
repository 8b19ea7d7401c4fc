import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { decodeHistoryRow, historyColumnNames } from '../history-columns.ts';
import { slotsPerBlock } from '../history-slots.ts';
import type { HistorySlotBlock, HistoryStore } from '../types.ts';

/** A statement whose rows come as arrays, not objects: no property names built per row. */
export function arrayStatement(db: DatabaseSync, sql: string): StatementSync {
  const stmt = db.prepare(sql);
  stmt.setReturnArrays(true);
  return stmt;
}

/** history_buckets (as `b`) in the order decodeHistoryRow reads. */
export const selectColumns = historyColumnNames.map((c) => `b.${c}`).join(', ');

/**
 * The reads behind a downsampled answer over many nodes (history/fleet-load.ts): the slot blocks
 * to count with, then only the rows the answer keeps. Every statement seeks the primary key node
 * by node (`node IN (SELECT id …)` or one node's id).
 */
export function sqliteHistoryGroups(db: DatabaseSync): Pick<HistoryStore, 'rangeAll' | 'slots' | 'groupRows'> {
  const everyNode = (t: string) => `${t}.node IN (SELECT id FROM history_nodes)`;
  // Node numbers, not uuids: a uuid per row was a third of the statement's time.
  const slotsStmt = arrayStatement(db, `SELECT s.node, s.block, s.bits FROM history_slots s
    WHERE ${everyNode('s')} AND s.width = ? AND s.block > ? AND s.block <= ? ORDER BY s.node, s.block`);
  const uuids = arrayStatement(db, 'SELECT id, uuid FROM history_nodes');
  const all = arrayStatement(db, `SELECT n.uuid, ${selectColumns} FROM history_buckets b JOIN history_nodes n ON n.id = b.node
    WHERE ${everyNode('b')} AND b.width = ? AND b.start BETWEEN ? AND ? ORDER BY b.node, b.start`);
  const idOf = db.prepare('SELECT id FROM history_nodes WHERE uuid = ?');
  idOf.setReturnArrays(true);
  // A node's kept groups in one statement, their starts as a JSON array. CROSS JOIN keeps the list
  // outside: SQLite 3.53 put the node's whole tier outside and the list inside (4 ms a node, not 0.15).
  const inGroups = arrayStatement(db, `SELECT ${selectColumns} FROM json_each(?) j CROSS JOIN history_buckets b
    ON b.node = ? AND b.width = ? AND b.start BETWEEN max(j.value, ?) AND min(j.value + ? - 1, ?)`);

  return {
    async rangeAll(width, from, to) {
      const rows = all.all(width, from, to) as unknown as unknown[][];
      return rows.map((a) => decodeHistoryRow(String(a[0]), a, 1));
    },
    async slots(width, from, to) {
      const names = new Map((uuids.all() as unknown as [number, string][]).map(([id, uuid]) => [id, uuid]));
      const out = new Map<string, HistorySlotBlock[]>();
      const span = width * 1000 * slotsPerBlock;
      for (const [id, block, bits] of slotsStmt.all(width, from - span, to) as unknown as [number, number, number][]) {
        const uuid = names.get(id)!;
        let list = out.get(uuid);
        if (!list) out.set(uuid, (list = []));
        list.push({ block, bits });
      }
      return out;
    },
    async groupRows(q, groups) {
      const out = [];
      for (const [node, starts] of groups) {
        const id = (idOf.get(node) as unknown as [number] | undefined)?.[0];
        if (id === undefined || starts.length === 0) continue;
        const rows = inGroups.all(JSON.stringify(starts), id, q.width, q.from, q.groupMs, q.to) as unknown as unknown[][];
        for (const a of rows) out.push(decodeHistoryRow(node, a));
      }
      return out;
    },
  };
}
