import type pg from 'pg';
import type { NodePatch, NodeRow, NodeStore } from '../types.ts';
import { inPgTransaction } from './connection.ts';

const columns = [
  'uuid', 'token', 'name', 'cpu_name', 'virtualization', 'arch', 'cpu_cores', 'cpu_physical_cores', 'os',
  'kernel_version', 'gpu_name', 'ipv4', 'ipv6', 'region', 'remark', 'public_remark', 'mem_total',
  'swap_total', 'disk_total', 'version', 'weight', 'price', 'billing_cycle', 'auto_renewal', 'currency',
  'expired_at', 'group', 'tags', 'hidden', 'traffic_limit', 'traffic_limit_type', 'created_at', 'updated_at',
] as const satisfies readonly (keyof NodeRow)[];
const columnSet = new Set<string>(columns);
const booleanColumns = new Set<string>(['auto_renewal', 'hidden']);
/** BIGINT columns: `pg` reads them as strings (they may exceed 2^53), a node row holds numbers. */
const bigintColumns = new Set<string>([
  'cpu_cores', 'cpu_physical_cores', 'mem_total', 'swap_total', 'disk_total', 'weight', 'billing_cycle',
  'expired_at', 'traffic_limit', 'created_at', 'updated_at',
]);

function toRow(r: Record<string, unknown>): NodeRow {
  const out: Record<string, unknown> = {};
  for (const c of columns) {
    const v = r[c];
    out[c] = bigintColumns.has(c) && v !== null ? Number(v) : v;
  }
  return out as unknown as NodeRow;
}

function toSql(column: string, v: unknown): unknown {
  return booleanColumns.has(column) ? Boolean(v) : v;
}

const q = (c: string) => `"${c}"`;
const columnList = columns.map(q).join(', ');

/** Nodes in `clients`, as SQLite keeps them: `seq` is the insertion order `list` follows. */
export function pgNodes(pool: pg.Pool): NodeStore {
  async function one(sql: string, value: string): Promise<NodeRow | undefined> {
    const r = (await pool.query(sql, [value])).rows[0] as Record<string, unknown> | undefined;
    return r ? toRow(r) : undefined;
  }
  return {
    async create(node) {
      await pool.query(
        `INSERT INTO clients (${columnList}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
        columns.map((c) => toSql(c, node[c])),
      );
    },
    async list() {
      return (await pool.query(`SELECT ${columnList} FROM clients ORDER BY seq`)).rows.map(toRow);
    },
    get: (uuid) => one(`SELECT ${columnList} FROM clients WHERE uuid = $1`, uuid),
    byToken: (token) => one(`SELECT ${columnList} FROM clients WHERE token = $1`, token),
    async update(uuid, patch: NodePatch) {
      // Column names come from the fixed list, never from the patch's keys as given.
      const entries = Object.entries(patch).filter(([k, v]) => v !== undefined && columnSet.has(k) && k !== 'uuid');
      if (entries.length === 0) return (await pool.query('SELECT 1 FROM clients WHERE uuid = $1', [uuid])).rowCount! > 0;
      const sets = entries.map(([k], i) => `${q(k)} = $${i + 1}`).join(', ');
      const res = await pool.query(`UPDATE clients SET ${sets} WHERE uuid = $${entries.length + 1}`, [
        ...entries.map(([k, v]) => toSql(k, v)),
        uuid,
      ]);
      return res.rowCount! > 0;
    },
    async remove(uuid) {
      return (await pool.query('DELETE FROM clients WHERE uuid = $1', [uuid])).rowCount! > 0;
    },
    async setWeights(weights, at) {
      if (weights.size === 0) return;
      // One statement, so one transaction; uuids no row has match nothing and are skipped.
      await inPgTransaction(pool, (c) =>
        c.query(
          `UPDATE clients SET weight = v.w, updated_at = $3
           FROM unnest($1::text[], $2::bigint[]) AS v(uuid, w) WHERE clients.uuid = v.uuid`,
          [[...weights.keys()], [...weights.values()], at],
        ),
      );
    },
  };
}
