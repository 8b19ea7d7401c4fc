import type { HistoryGauge, HistoryRow } from './types.ts';

// Object keys, not a list, so adding a gauge to HistoryGauge fails to typecheck until it has a column.
const gaugeColumns: Record<HistoryGauge, true> = {
  cpu: true, gpu: true, ram: true, swap: true, load: true, disk: true,
  net_in: true, net_out: true, process: true, connections: true, connections_udp: true,
};
export const historyGauges = Object.keys(gaugeColumns) as HistoryGauge[];

/** How a column is read from and written to a row, and its PostgreSQL type. */
export type HistoryColumn = readonly [name: string, type: 'bigint' | 'float8', get: (r: HistoryRow) => number];

/**
 * Every stored column of history_buckets but the node, in one order for both engines' writes and
 * reads: reads select exactly these, as arrays, and decodeHistoryRow takes them by position.
 */
export const historyColumns: readonly HistoryColumn[] = [
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
  ...historyGauges.flatMap((g): HistoryColumn[] => [
    [`${g}_sum`, 'float8', (r) => r.sum[g]],
    [`${g}_max`, 'float8', (r) => r.max[g]],
  ]),
];
export const historyColumnNames = historyColumns.map(([c]) => c);

const at = Object.fromEntries(historyColumnNames.map((c, i) => [c, i])) as Record<string, number>;
const sumAt = Object.fromEntries(historyGauges.map((g) => [g, at[`${g}_sum`]!])) as Record<HistoryGauge, number>;
const maxAt = Object.fromEntries(historyGauges.map((g) => [g, at[`${g}_max`]!])) as Record<HistoryGauge, number>;

// SQLite keeps an integral REAL as an integer, so −0 reads back as 0; `+ 0` makes PostgreSQL's
// float8 agree. PostgreSQL's BIGINT arrives as a string.
const num = (v: unknown): number => Number(v) + 0;

function gaugeValues(a: readonly unknown[], i: number, c: Record<HistoryGauge, number>): Record<HistoryGauge, number> {
  // One literal, so V8 gives every row's object the same shape (a loop of computed keys did
  // not, and building rows was the largest part of a history read: BENCHMARKS.md, History).
  return {
    cpu: num(a[i + c.cpu]), gpu: num(a[i + c.gpu]), ram: num(a[i + c.ram]), swap: num(a[i + c.swap]),
    load: num(a[i + c.load]), disk: num(a[i + c.disk]), net_in: num(a[i + c.net_in]), net_out: num(a[i + c.net_out]),
    process: num(a[i + c.process]), connections: num(a[i + c.connections]), connections_udp: num(a[i + c.connections_udp]),
  };
}

/** A row read as an array of historyColumns (from position `i`), for node `node`. */
export function decodeHistoryRow(node: string, a: readonly unknown[], i = 0): HistoryRow {
  return {
    node,
    width: num(a[i + at.width!]),
    start: num(a[i + at.start!]),
    count: num(a[i + at.count!]),
    gpuCount: num(a[i + at.gpu_count!]),
    sum: gaugeValues(a, i, sumAt),
    max: gaugeValues(a, i, maxAt),
    lastAt: num(a[i + at.last_at!]),
    netTotalUp: num(a[i + at.net_total_up!]),
    netTotalDown: num(a[i + at.net_total_down!]),
    ramTotal: num(a[i + at.ram_total!]),
    swapTotal: num(a[i + at.swap_total!]),
    diskTotal: num(a[i + at.disk_total!]),
    trafficUp: num(a[i + at.traffic_up!]),
    trafficDown: num(a[i + at.traffic_down!]),
  };
}
