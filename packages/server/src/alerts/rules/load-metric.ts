import type { HistoryRow } from '../../store/types.ts';

/** A bucket's worst value of a Komari load metric in the metric's unit, or undefined (never fires). */
export type MetricReader = (b: HistoryRow, totals: { mem: number; swap: number; disk: number }) => number | undefined;

const pct = (used: number, total: number): number => (total > 0 ? (used / total) * 100 : 0);
const mbps = (bytesPerSec: number): number => (bytesPerSec * 8) / 1_000_000;

/**
 * Komari's load metrics and units (notifications.md §5): percentages for cpu, gpu, ram, swap and
 * disk (used ÷ total), the agent's 1-minute load, network in decimal Mbps. `temp` and unknown
 * names are accepted by the API and never fire, as in Komari.
 */
const readers: Record<string, MetricReader> = {
  cpu: (b) => b.max.cpu,
  gpu: (b) => (b.gpuCount > 0 ? b.max.gpu : undefined),
  ram: (b, t) => pct(b.max.ram, b.ramTotal || t.mem),
  swap: (b, t) => pct(b.max.swap, b.swapTotal || t.swap),
  disk: (b, t) => pct(b.max.disk, b.diskTotal || t.disk),
  load: (b) => b.max.load,
  net_in: (b) => mbps(b.max.net_in),
  netin: (b) => mbps(b.max.net_in),
  net_out: (b) => mbps(b.max.net_out),
  netout: (b) => mbps(b.max.net_out),
};

export function metricReader(metric: string): MetricReader | undefined {
  return readers[metric.toLowerCase()];
}

const units: Record<string, string> = { cpu: '%', gpu: '%', ram: '%', swap: '%', disk: '%', load: '', net_in: ' Mbps', netin: ' Mbps', net_out: ' Mbps', netout: ' Mbps' };

export function metricUnit(metric: string): string {
  return units[metric.toLowerCase()] ?? '';
}
