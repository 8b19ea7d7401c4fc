import { longestRetentionHours, type Report, type RetentionTier } from '@komari-ts/protocol';
import type { HistoryGauge } from '../store/types.ts';
import { formatTime } from '../util/time.ts';

/** Where a metric's values come from in komari-ts's history (records.md §3.4 names, our tiers). */
export type MetricSource =
  | { kind: 'gauge'; gauge: HistoryGauge }
  | { kind: 'traffic'; dir: 'up' | 'down' }
  | { kind: 'total'; dir: 'up' | 'down' }
  | { kind: 'ping'; what: 'latency' | 'loss' }
  /** per-GPU-device series: komari-ts keeps no per-device history, so they are always empty */
  | { kind: 'none' };

export interface MetricDef {
  name: string;
  type: 'gauge' | 'counter';
  unit: string;
  description: string;
  source: MetricSource;
  /** the value a raw report carries, for raw-mode answers */
  fromReport?: (r: Report) => number | undefined;
}

const gauge = (name: string, g: HistoryGauge, unit: string, description: string, fromReport: (r: Report) => number | undefined): MetricDef => ({
  name, type: 'gauge', unit, description, source: { kind: 'gauge', gauge: g }, fromReport,
});

/** Komari's 21 built-in metrics, in its order. */
export const metricDefinitions: readonly MetricDef[] = [
  gauge('cpu.usage', 'cpu', '%', 'CPU usage', (r) => r.cpu.usage),
  gauge('memory.used', 'ram', 'bytes', 'Memory used', (r) => r.ram.used),
  gauge('swap.used', 'swap', 'bytes', 'Swap used', (r) => r.swap.used),
  gauge('load.average', 'load', '', 'Load average (1 min)', (r) => r.load.load1),
  gauge('disk.used', 'disk', 'bytes', 'Disk used', (r) => r.disk.used),
  gauge('net.in.rate', 'net_in', 'bytes/s', 'Network receive rate', (r) => r.network.down),
  gauge('net.out.rate', 'net_out', 'bytes/s', 'Network send rate', (r) => r.network.up),
  { name: 'net.total.up', type: 'counter', unit: 'bytes', description: 'Total bytes sent', source: { kind: 'total', dir: 'up' }, fromReport: (r) => r.network.totalUp },
  { name: 'net.total.down', type: 'counter', unit: 'bytes', description: 'Total bytes received', source: { kind: 'total', dir: 'down' }, fromReport: (r) => r.network.totalDown },
  { name: 'traffic.up', type: 'gauge', unit: 'bytes', description: 'Bytes sent since the previous report', source: { kind: 'traffic', dir: 'up' } },
  { name: 'traffic.down', type: 'gauge', unit: 'bytes', description: 'Bytes received since the previous report', source: { kind: 'traffic', dir: 'down' } },
  gauge('process.count', 'process', 'count', 'Processes', (r) => r.process),
  gauge('connections.tcp', 'connections', 'count', 'TCP connections', (r) => r.connections.tcp),
  gauge('connections.udp', 'connections_udp', 'count', 'UDP connections', (r) => r.connections.udp),
  gauge('gpu.usage', 'gpu', '%', 'GPU usage (average of devices)', (r) => r.gpu?.average_usage),
  { name: 'gpu.device.usage', type: 'gauge', unit: '%', description: 'GPU device usage', source: { kind: 'none' } },
  { name: 'gpu.memory.used', type: 'gauge', unit: 'bytes', description: 'GPU device memory used', source: { kind: 'none' } },
  { name: 'gpu.memory.total', type: 'gauge', unit: 'bytes', description: 'GPU device memory total', source: { kind: 'none' } },
  { name: 'gpu.temperature', type: 'gauge', unit: '°C', description: 'GPU device temperature', source: { kind: 'none' } },
  { name: 'ping.latency_ms', type: 'gauge', unit: 'ms', description: 'Ping latency (-1 = lost)', source: { kind: 'ping', what: 'latency' } },
  { name: 'ping.loss', type: 'gauge', unit: 'ratio', description: 'Ping loss (1 = lost)', source: { kind: 'ping', what: 'loss' } },
];

const byName = new Map(metricDefinitions.map((d) => [d.name, d]));

export function metricByName(name: string): MetricDef | undefined {
  return byName.get(name);
}

/** komari-ts keeps one retention for every metric: the longest tier of `history_retention`, in days. */
export function retentionDays(tiers: readonly RetentionTier[]): number {
  return Math.ceil(longestRetentionHours(tiers) / 24);
}

/**
 * A definition as `listMetricDefinitions` answers it (rpc2.md §10.2.1). Definitions are built in,
 * not rows: their times are the epoch.
 */
export function definitionWire(d: MetricDef, tiers: readonly RetentionTier[]) {
  const out: Record<string, unknown> = { name: d.name, description: d.description, type: d.type };
  if (d.unit) out.unit = d.unit;
  out.retention_days = retentionDays(tiers);
  out.created_at = formatTime(0);
  out.updated_at = formatTime(0);
  return out;
}
