// Live reports (public-api.md §3.1) in the shape of load records (§6.11), so the live range draws
// with the same charts as the history: one record per report, nothing averaged.
import type { LiveReport, LoadRecord } from './node-wire.ts';

export function liveRecord(uuid: string, r: LiveReport): LoadRecord {
  return {
    client: uuid,
    time: r.updated_at,
    cpu: r.cpu.usage ?? 0,
    gpu: r.gpu?.average_usage ?? 0,
    ram: r.ram.used,
    ram_total: r.ram.total,
    swap: r.swap.used,
    swap_total: r.swap.total,
    load: r.load.load1,
    temp: 0,
    disk: r.disk.used,
    disk_total: r.disk.total,
    net_in: r.network.down,
    net_out: r.network.up,
    net_total_up: r.network.totalUp,
    net_total_down: r.network.totalDown,
    traffic_up: 0,
    traffic_down: 0,
    process: r.process,
    connections: r.connections.tcp,
    connections_udp: r.connections.udp,
  };
}

/** The reports as records, oldest first. */
export function liveRecords(uuid: string, reports: readonly LiveReport[]): LoadRecord[] {
  return reports.map((r) => liveRecord(uuid, r));
}
