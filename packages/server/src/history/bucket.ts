import type { Report } from '@komari-ts/protocol';
import type { HistoryGauge, HistoryRow } from '../store/types.ts';

/** Where each gauge comes from in a report (records.md §3.4); gpu only when the report has one. */
const gaugeSources: Record<HistoryGauge, (r: Report) => number | undefined> = {
  cpu: (r) => r.cpu.usage,
  gpu: (r) => r.gpu?.average_usage,
  ram: (r) => r.ram.used,
  swap: (r) => r.swap.used,
  load: (r) => r.load.load1,
  disk: (r) => r.disk.used,
  net_in: (r) => r.network.down,
  net_out: (r) => r.network.up,
  process: (r) => r.process,
  connections: (r) => r.connections.tcp,
  connections_udp: (r) => r.connections.udp,
};
export const gauges = Object.keys(gaugeSources) as HistoryGauge[];

export interface TrafficDelta {
  up: number;
  down: number;
}

/** Bucket start containing `ms` for a width in seconds: multiples of the width since the epoch, UTC. */
export { alignDown, bucketEnd } from '../util/bucket-ladder.ts';

/**
 * A gauge record as one literal: its 11 fields sit inside the object. Built key by key (as
 * Object.fromEntries does) the last 7 went to a separate property array: ~90 bytes more per
 * record, and every node keeps 8 of them open (sum and max of 4 tiers).
 */
const zeros = (): Record<HistoryGauge, number> => ({
  cpu: 0, gpu: 0, ram: 0, swap: 0, load: 0, disk: 0, net_in: 0, net_out: 0, process: 0, connections: 0, connections_udp: 0,
});

export function emptyBucket(node: string, width: number, start: number): HistoryRow {
  return {
    node, width, start, count: 0, gpuCount: 0, sum: zeros(), max: zeros(), lastAt: 0,
    netTotalUp: 0, netTotalDown: 0, ramTotal: 0, swapTotal: 0, diskTotal: 0, trafficUp: 0, trafficDown: 0,
  };
}

export function copyBucket(b: HistoryRow): HistoryRow {
  return { ...b, sum: { ...b.sum }, max: { ...b.max } };
}

/** Samples behind a gauge's sum: gpu counts only the reports that carried gpu data. */
export function samplesOf(b: HistoryRow, g: HistoryGauge): number {
  return g === 'gpu' ? b.gpuCount : b.count;
}

function takeLast(b: HistoryRow, at: number, from: Pick<HistoryRow, 'netTotalUp' | 'netTotalDown' | 'ramTotal' | 'swapTotal' | 'diskTotal'>): void {
  if (at < b.lastAt) return;
  b.lastAt = at;
  b.netTotalUp = from.netTotalUp;
  b.netTotalDown = from.netTotalDown;
  b.ramTotal = from.ramTotal;
  b.swapTotal = from.swapTotal;
  b.diskTotal = from.diskTotal;
}

/** Folds one validated report, received at `at`, into a bucket. */
export function fold(b: HistoryRow, r: Report, at: number, traffic: TrafficDelta): void {
  for (const g of gauges) {
    const v = gaugeSources[g](r);
    if (v === undefined) continue;
    b.max[g] = samplesOf(b, g) === 0 ? v : Math.max(b.max[g], v);
    b.sum[g] += v;
  }
  if (r.gpu) b.gpuCount++;
  b.count++;
  b.trafficUp += traffic.up;
  b.trafficDown += traffic.down;
  takeLast(b, at, {
    netTotalUp: r.network.totalUp,
    netTotalDown: r.network.totalDown,
    ramTotal: r.ram.total,
    swapTotal: r.swap.total,
    diskTotal: r.disk.total,
  });
}

/** Adds a bucket's summary into a wider (or equal) one: Σ sums and counts, max of max, last by time, Σ traffic. */
export function merge(into: HistoryRow, from: HistoryRow): void {
  if (from.count === 0) return;
  for (const g of gauges) {
    if (samplesOf(from, g) === 0) continue;
    into.max[g] = samplesOf(into, g) === 0 ? from.max[g] : Math.max(into.max[g], from.max[g]);
    into.sum[g] += from.sum[g];
  }
  into.count += from.count;
  into.gpuCount += from.gpuCount;
  into.trafficUp += from.trafficUp;
  into.trafficDown += from.trafficDown;
  takeLast(into, from.lastAt, from);
}
