// Load records (public-api.md §6.11) → one chart model per chart. Memory, swap and disk are drawn
// as a share of their totals, which records may carry (0 in Komari) or /api/nodes gives.
import type { TFunction } from 'i18next';
import type { AxisKind } from './chart-format.ts';
import { shareOf } from './chart-format.ts';
import { withGaps, type ChartModel, type ChartSeries } from './chart-model.ts';
import type { LoadRecord, NodeWire } from './node-wire.ts';

export interface LoadChart {
  id: string;
  axis: AxisKind;
  yMax?: number;
  model: ChartModel;
}

type Pick = (r: LoadRecord) => number | null;

function share(used: (r: LoadRecord) => number, recordTotal: (r: LoadRecord) => number, nodeTotal: number): Pick {
  return (r) => {
    const total = recordTotal(r) || nodeTotal;
    return total > 0 ? (used(r) / total) * 100 : null;
  };
}

/** The largest total known for a metric: what a share in the legend is a share of. */
function totalOf(records: readonly LoadRecord[], recordTotal: (r: LoadRecord) => number, nodeTotal: number): number {
  return records.reduce((m, r) => Math.max(m, recordTotal(r)), 0) || nodeTotal;
}

export function loadCharts(records: readonly LoadRecord[], node: NodeWire, hasGpu: boolean, t: TFunction<'node'>): LoadChart[] {
  const xs = records.map((r) => Math.floor(Date.parse(r.time) / 1000));
  const series = (label: string, pick: Pick, format?: (v: number) => string): ChartSeries => ({ label, values: records.map(pick), format });
  const ramTotal = totalOf(records, (r) => r.ram_total, node.mem_total);
  const swapTotal = totalOf(records, (r) => r.swap_total, node.swap_total);
  const diskTotal = totalOf(records, (r) => r.disk_total, node.disk_total);
  const chart = (id: string, axis: AxisKind, list: (ChartSeries | false)[], yMax?: number): LoadChart => ({
    id, axis, yMax,
    model: withGaps({ xs, series: list.filter((s): s is ChartSeries => s !== false) }),
  });
  return [
    chart('cpu', 'percent', [series(t('metric.cpu'), (r) => r.cpu), hasGpu && series(t('metric.gpu'), (r) => r.gpu)], 100),
    chart('memory', 'percent', [
      ramTotal > 0 && series(t('metric.ram'), share((r) => r.ram, (r) => r.ram_total, node.mem_total), shareOf(ramTotal)),
      swapTotal > 0 && series(t('metric.swap'), share((r) => r.swap, (r) => r.swap_total, node.swap_total), shareOf(swapTotal)),
    ], 100),
    chart('disk', 'percent', [diskTotal > 0 && series(t('metric.disk'), share((r) => r.disk, (r) => r.disk_total, node.disk_total), shareOf(diskTotal))], 100),
    chart('network', 'speed', [series(t('metric.up'), (r) => r.net_out), series(t('metric.down'), (r) => r.net_in)]),
    chart('load', 'count', [series(t('metric.load1'), (r) => r.load)]),
    chart('connections', 'count', [series(t('metric.tcp'), (r) => r.connections), series(t('metric.udp'), (r) => r.connections_udp)]),
    chart('process', 'count', [series(t('metric.processes'), (r) => r.process)]),
  ];
}
