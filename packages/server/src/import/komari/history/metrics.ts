import type { HistoryGauge } from '../../../store/types.ts';
import { ranges, type ValueRange } from './summary.ts';

/** Where a Komari load metric goes in a history bucket (records.md §3.4, §6.1). */
export type LoadField = HistoryGauge | 'net_total_up' | 'net_total_down' | 'traffic_up' | 'traffic_down';

export const loadMetrics: Readonly<Record<string, { field: LoadField; range: ValueRange }>> = {
  'cpu.usage': { field: 'cpu', range: ranges.percent },
  'gpu.usage': { field: 'gpu', range: ranges.percent },
  'memory.used': { field: 'ram', range: ranges.bytes },
  'swap.used': { field: 'swap', range: ranges.bytes },
  'load.average': { field: 'load', range: ranges.load },
  'disk.used': { field: 'disk', range: ranges.bytes },
  'net.in.rate': { field: 'net_in', range: ranges.bytes },
  'net.out.rate': { field: 'net_out', range: ranges.bytes },
  'net.total.up': { field: 'net_total_up', range: ranges.bytes },
  'net.total.down': { field: 'net_total_down', range: ranges.bytes },
  'traffic.up': { field: 'traffic_up', range: ranges.bytes },
  'traffic.down': { field: 'traffic_down', range: ranges.bytes },
  'process.count': { field: 'process', range: ranges.count },
  'connections.tcp': { field: 'connections', range: ranges.count },
  'connections.udp': { field: 'connections_udp', range: ranges.count },
};

export type PingPart = 'latency' | 'loss';
export const pingMetrics: Readonly<Record<string, { part: PingPart; range: ValueRange }>> = {
  'ping.latency_ms': { part: 'latency', range: ranges.latency },
  'ping.loss': { part: 'loss', range: ranges.ratio },
};

/** Komari metrics komari-ts has no history for: per-device GPU series (its history keeps the average). */
export const unkeptMetrics: ReadonlySet<string> = new Set(['gpu.device.usage', 'gpu.memory.used', 'gpu.memory.total', 'gpu.temperature']);
