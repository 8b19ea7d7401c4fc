import type { Report } from '@komari-ts/protocol';
import type { AppContext } from '../app-context.ts';
import type { NodeRow } from '../store/types.ts';
import { labelText, type ExpositionWriter, type Family } from './exposition.ts';

interface ReportMetric extends Family {
  of: (r: Report) => number;
}

const gauge = (name: string, help: string, of: (r: Report) => number): ReportMetric => ({ name, type: 'gauge', help, of });

/**
 * What each online node's latest report says, one family per field, in base units. The network
 * totals are the agent's own counters since it (or the host) started: they drop to 0 when it
 * restarts, which Prometheus's rate() and increase() read as a counter reset, so they are counters.
 */
const reportMetrics: readonly ReportMetric[] = [
  gauge('komari_node_cpu_usage_ratio', 'CPU usage, 0 to 1 (the agent reports percent).', (r) => r.cpu.usage / 100),
  gauge('komari_node_memory_used_bytes', 'Memory in use.', (r) => r.ram.used),
  gauge('komari_node_memory_total_bytes', 'Memory installed.', (r) => r.ram.total),
  gauge('komari_node_swap_used_bytes', 'Swap in use.', (r) => r.swap.used),
  gauge('komari_node_swap_total_bytes', 'Swap configured.', (r) => r.swap.total),
  gauge('komari_node_disk_used_bytes', 'Disk space in use, as the agent sums its disks.', (r) => r.disk.used),
  gauge('komari_node_disk_total_bytes', 'Disk space, as the agent sums its disks.', (r) => r.disk.total),
  gauge('komari_node_network_receive_bytes_per_second', 'Inbound traffic rate the agent measured.', (r) => r.network.down),
  gauge('komari_node_network_transmit_bytes_per_second', 'Outbound traffic rate the agent measured.', (r) => r.network.up),
  {
    name: 'komari_node_network_receive_bytes_total',
    type: 'counter',
    help: 'Inbound bytes the agent counted since it started; resets when it restarts.',
    of: (r) => r.network.totalDown,
  },
  {
    name: 'komari_node_network_transmit_bytes_total',
    type: 'counter',
    help: 'Outbound bytes the agent counted since it started; resets when it restarts.',
    of: (r) => r.network.totalUp,
  },
  gauge('komari_node_load1', 'Load average over 1 minute.', (r) => r.load.load1),
  gauge('komari_node_load5', 'Load average over 5 minutes.', (r) => r.load.load5),
  gauge('komari_node_load15', 'Load average over 15 minutes.', (r) => r.load.load15),
  gauge('komari_node_tcp_connections', 'Open TCP connections.', (r) => r.connections.tcp),
  gauge('komari_node_udp_connections', 'Open UDP sockets.', (r) => r.connections.udp),
  gauge('komari_node_processes', 'Running processes.', (r) => r.process),
  gauge('komari_node_uptime_seconds', 'Host uptime.', (r) => r.uptime),
];

/** Every metric family name this file writes (the Grafana dashboard test checks its queries against a scrape). */
export const nodeFamilyNames = ['komari_node_online', 'komari_node_last_report_timestamp_seconds', ...reportMetrics.map((m) => m.name)];

/** The labels every node's series carry. */
export function nodeLabels(row: Pick<NodeRow, 'uuid' | 'name' | 'group'>): string {
  return labelText({ uuid: row.uuid, name: row.name, group: row.group });
}

/**
 * Per-node gauges from the live view (memory only). Every node gets `komari_node_online`; the
 * report's figures are written for online nodes only, so an offline node's series end (Prometheus
 * marks them stale) instead of repeating its last report forever. Hidden nodes are included: only
 * admins and the API key scrape.
 */
export function writeNodeGauges(app: AppContext, out: ExpositionWriter, nodes: readonly NodeRow[], labels: ReadonlyMap<string, string>): void {
  out.family({ name: 'komari_node_online', type: 'gauge', help: '1 when the node is online (socket, or a report within the presence TTL), else 0.' });
  const live: Array<[string, Report]> = [];
  const seen: Array<[string, number]> = [];
  for (const n of nodes) {
    const online = app.live.isOnline(n.uuid);
    out.sample(labels.get(n.uuid)!, online ? 1 : 0);
    const latest = app.live.latest(n.uuid);
    if (!latest) continue;
    seen.push([n.uuid, latest.at]);
    if (online) live.push([n.uuid, latest.report]);
  }
  out.family({ name: 'komari_node_last_report_timestamp_seconds', type: 'gauge', help: 'When the node last reported (server time, Unix seconds).' });
  for (const [uuid, at] of seen) out.sample(labels.get(uuid)!, at / 1000);
  for (const m of reportMetrics) {
    out.family(m);
    for (const [uuid, r] of live) out.sample(labels.get(uuid)!, m.of(r));
  }
}
