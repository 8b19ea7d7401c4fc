import { emptyBucket, gauges } from '../../../history/bucket.ts';
import type { HistoryRow } from '../../../store/types.ts';
import type { LoadField } from './metrics.ts';
import type { Summary } from './summary.ts';

/** A node's ram/swap/disk totals from its basic info: Komari's metric store keeps none (§3.4). */
export interface NodeTotals {
  ramTotal: number;
  swapTotal: number;
  diskTotal: number;
}

/**
 * One Komari bucket of a node (every load metric's rollup row of one resolution and start) as a
 * history row. Komari writes one point per metric per report, so the metrics share a sample
 * count; where a damaged store disagrees, each gauge keeps its own average (its sum is rescaled
 * to the row's count). Traffic is Σ deltas, the totals are the last sample's.
 */
export function loadBucket(node: string, widthMs: number, start: number, fields: ReadonlyMap<LoadField, Summary>, totals: NodeTotals): HistoryRow | undefined {
  let count = 0;
  let lastAt = start;
  for (const [f, s] of fields) {
    if (f !== 'gpu') count = Math.max(count, s.count);
    lastAt = Math.max(lastAt, s.lastAt);
  }
  const gpu = fields.get('gpu');
  if (count === 0) count = gpu?.count ?? 0;
  if (count === 0) return undefined;
  const row = emptyBucket(node, widthMs / 1000, start);
  row.count = count;
  for (const g of gauges) {
    const s = fields.get(g);
    if (!s) continue;
    if (g === 'gpu') {
      row.gpuCount = Math.min(s.count, count);
      row.sum.gpu = (s.sum / s.count) * row.gpuCount;
    } else {
      row.sum[g] = s.count === count ? s.sum : (s.sum / s.count) * count;
    }
    row.max[g] = s.max;
  }
  row.trafficUp = fields.get('traffic_up')?.sum ?? 0;
  row.trafficDown = fields.get('traffic_down')?.sum ?? 0;
  row.netTotalUp = fields.get('net_total_up')?.last ?? 0;
  row.netTotalDown = fields.get('net_total_down')?.last ?? 0;
  row.lastAt = lastAt;
  row.ramTotal = totals.ramTotal;
  row.swapTotal = totals.swapTotal;
  row.diskTotal = totals.diskTotal;
  return row;
}

/** The columns of Komari's legacy `records` / `records_long_term` (records.md §8.3). */
export interface LegacyRecord {
  cpu: number; gpu: number; ram: number; ram_total: number; swap: number; swap_total: number; load: number;
  disk: number; disk_total: number; net_in: number; net_out: number; net_total_up: number; net_total_down: number;
  traffic_up: number; traffic_down: number; process: number; connections: number; connections_udp: number;
}

const legacyGauge: Record<(typeof gauges)[number], keyof LegacyRecord> = {
  cpu: 'cpu', gpu: 'gpu', ram: 'ram', swap: 'swap', load: 'load', disk: 'disk', net_in: 'net_in', net_out: 'net_out',
  process: 'process', connections: 'connections', connections_udp: 'connections_udp',
};

/** One legacy record (one minute, or a 15-minute long-term row) as a bucket of one sample. */
export function legacyLoadBucket(node: string, widthMs: number, at: number, r: LegacyRecord): HistoryRow {
  const row = emptyBucket(node, widthMs / 1000, Math.floor(at / widthMs) * widthMs);
  row.count = 1;
  row.gpuCount = 1;
  for (const g of gauges) {
    row.sum[g] = r[legacyGauge[g]];
    row.max[g] = r[legacyGauge[g]];
  }
  row.lastAt = at;
  row.netTotalUp = r.net_total_up;
  row.netTotalDown = r.net_total_down;
  row.trafficUp = r.traffic_up;
  row.trafficDown = r.traffic_down;
  row.ramTotal = r.ram_total;
  row.swapTotal = r.swap_total;
  row.diskTotal = r.disk_total;
  return row;
}
