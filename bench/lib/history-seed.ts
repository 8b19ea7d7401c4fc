import { randomUUID } from 'node:crypto';
import { defaultRetention, type RetentionTier } from '@komari-ts/protocol';
import { openPostgresStore } from '../../packages/server/src/store/postgres/open.ts';
import { openSqliteStore } from '../../packages/server/src/store/sqlite/open.ts';
import type { HistoryGauge, HistoryRow, NodeRow } from '../../packages/server/src/store/types.ts';
import { rng } from './report-gen.ts';

const gauges: HistoryGauge[] = ['cpu', 'gpu', 'ram', 'swap', 'load', 'disk', 'net_in', 'net_out', 'process', 'connections', 'connections_udp'];

/** A node row as the admin API leaves it after the agent's basic info (bench-<i>). */
export function nodeRow(i: number, now: number): NodeRow {
  return {
    uuid: randomUUID(), token: randomUUID().replace(/-/g, ''), name: `bench-${i}`, cpu_name: 'Intel(R) Xeon(R) Processor',
    virtualization: 'kvm', arch: 'amd64', cpu_cores: 2, cpu_physical_cores: 2, os: 'Debian GNU/Linux 12 (bookworm)',
    kernel_version: '6.1.0', gpu_name: '', ipv4: '', ipv6: '', region: '', remark: '', public_remark: '', mem_total: 4e9,
    swap_total: 0, disk_total: 5e10, version: '1.0.0', weight: i, price: 0, billing_cycle: 0, auto_renewal: false,
    currency: '$', expired_at: null, group: '', tags: '', hidden: false, traffic_limit: 0, traffic_limit_type: 'max',
    created_at: now, updated_at: now,
  };
}

/** A full bucket as the engine writes it: one sample a second, plausible figures that drift. */
function bucket(node: string, width: number, start: number, r: () => number): HistoryRow {
  const count = width;
  const sum = {} as Record<HistoryGauge, number>;
  const max = {} as Record<HistoryGauge, number>;
  const base: Record<HistoryGauge, number> = {
    cpu: 5 + r() * 60, gpu: 0, ram: 1e9 + r() * 2e9, swap: 0, load: r() * 2, disk: 2e10 + r() * 1e9,
    net_in: r() * 1e6, net_out: r() * 5e5, process: 100 + r() * 100, connections: 20 + r() * 200, connections_udp: r() * 10,
  };
  for (const g of gauges) {
    sum[g] = g === 'gpu' || g === 'swap' ? 0 : Math.round(base[g] * count);
    max[g] = Math.round(base[g] * (1 + r() * 0.5));
  }
  const t = start / 1000;
  return {
    node, width, start, count, gpuCount: 0, sum, max, lastAt: start + width * 1000 - 500,
    netTotalUp: Math.round(t * 5e3), netTotalDown: Math.round(t * 2e4), ramTotal: 4e9, swapTotal: 0, diskTotal: 5e10,
    trafficUp: Math.round(r() * 5e5 * width), trafficDown: Math.round(r() * 1e6 * width),
  };
}

/** Every bucket of one node over `days` (each tier no further back than its retention), oldest first per tier. */
function nodeBuckets(uuid: string, tiers: readonly RetentionTier[], days: number, now: number, seed: number): HistoryRow[] {
  const r = rng(seed);
  const rows: HistoryRow[] = [];
  for (const t of tiers) {
    const w = t.bucketSeconds * 1000;
    const from = Math.floor((now - Math.min(t.keepHours, days * 24) * 3_600_000) / w) * w;
    for (let start = from; start + w <= now; start += w) rows.push(bucket(uuid, t.bucketSeconds, start, r));
  }
  return rows;
}

export interface Seeded {
  uuids: string[];
  rows: number;
  ms: number;
}

/**
 * Writes `nodes` nodes with `days` of closed rollup buckets at the default retention straight
 * into the store (store API, batched transactions), ending at `now`. The server started on the
 * file afterwards sees them as history written by a month of agents. `db` may be a postgres://
 * URL, then `pgSchema` names the schema (created and migrated here, as a server would).
 */
export async function seedHistory(db: string, nodes: number, days: number, now = Date.now(), pgSchema?: string): Promise<Seeded> {
  const t0 = performance.now();
  const store = /^postgres(ql)?:\/\//.test(db) ? await openPostgresStore(db, { schema: pgSchema }) : openSqliteStore(db);
  const uuids: string[] = [];
  let rows = 0;
  try {
    for (let i = 0; i < nodes; i++) {
      const node = nodeRow(i, now);
      await store.nodes.create(node);
      uuids.push(node.uuid);
      const batch = nodeBuckets(node.uuid, defaultRetention, days, now, i + 1);
      for (let k = 0; k < batch.length; k += 5000) await store.history.write(batch.slice(k, k + 5000));
      rows += batch.length;
    }
  } finally {
    await store.close();
  }
  return { uuids, rows, ms: performance.now() - t0 };
}
