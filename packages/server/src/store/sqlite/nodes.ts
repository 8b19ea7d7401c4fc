import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import type { NodePatch, NodeRow, NodeStore } from '../types.ts';
import { inTransaction } from './transaction.ts';

const booleanColumns = new Set(['auto_renewal', 'hidden']);
const columns = [
  'uuid', 'token', 'name', 'cpu_name', 'virtualization', 'arch', 'cpu_cores', 'cpu_physical_cores', 'os',
  'kernel_version', 'gpu_name', 'ipv4', 'ipv6', 'region', 'remark', 'public_remark', 'mem_total',
  'swap_total', 'disk_total', 'version', 'weight', 'price', 'billing_cycle', 'auto_renewal', 'currency',
  'expired_at', 'group', 'tags', 'hidden', 'traffic_limit', 'traffic_limit_type', 'created_at', 'updated_at',
] as const satisfies readonly (keyof NodeRow)[];
const columnSet = new Set<string>(columns);

function toRow(r: Record<string, unknown>): NodeRow {
  const out: Record<string, unknown> = {};
  for (const c of columns) {
    const v = r[c];
    out[c] = booleanColumns.has(c) ? v === 1 || v === 1n : typeof v === 'bigint' ? Number(v) : v;
  }
  return out as unknown as NodeRow;
}

function toSql(column: string, v: unknown): SQLInputValue {
  if (booleanColumns.has(column)) return v ? 1 : 0;
  return v as SQLInputValue;
}

const q = (c: string) => `"${c}"`;

export function sqliteNodes(db: DatabaseSync): NodeStore {
  const get = db.prepare('SELECT * FROM clients WHERE uuid = ?');
  const byToken = db.prepare('SELECT * FROM clients WHERE token = ?');
  return {
    async create(node) {
      const values = columns.map((c) => toSql(c, node[c]));
      db.prepare(`INSERT INTO clients (${columns.map(q).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`).run(
        ...values,
      );
    },
    async list() {
      return db.prepare('SELECT * FROM clients ORDER BY seq').all().map(toRow);
    },
    async get(uuid) {
      const r = get.get(uuid);
      return r ? toRow(r) : undefined;
    },
    async byToken(token) {
      const r = byToken.get(token);
      return r ? toRow(r) : undefined;
    },
    async update(uuid, patch: NodePatch) {
      const entries = Object.entries(patch).filter(([k, v]) => v !== undefined && columnSet.has(k) && k !== 'uuid');
      if (entries.length === 0) return get.get(uuid) !== undefined;
      const sets = entries.map(([k]) => `${q(k)} = ?`).join(', ');
      const res = db.prepare(`UPDATE clients SET ${sets} WHERE uuid = ?`).run(...entries.map(([k, v]) => toSql(k, v)), uuid);
      return Number(res.changes) > 0;
    },
    async remove(uuid) {
      return Number(db.prepare('DELETE FROM clients WHERE uuid = ?').run(uuid).changes) > 0;
    },
    async setWeights(weights, at) {
      const stmt = db.prepare('UPDATE clients SET weight = ?, updated_at = ? WHERE uuid = ?');
      inTransaction(db, () => {
        for (const [uuid, w] of weights) stmt.run(w, at, uuid);
      });
    },
  };
}
