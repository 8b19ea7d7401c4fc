import type { AppContext } from '../app-context.ts';
import type { RecentPing } from '../ping/recent.ts';
import { labelText, type ExpositionWriter, type Family } from './exposition.ts';

interface PingMetric extends Family {
  /** undefined: no sample for this series (no answered result yet) */
  of: (p: RecentPing) => number | undefined;
}

const pingMetrics: readonly PingMetric[] = [
  {
    name: 'komari_ping_latency_seconds',
    type: 'gauge',
    help: 'Round-trip time of the last answered result of the ping task from the node.',
    of: (p) => (p.latencyMs === undefined ? undefined : p.latencyMs / 1000),
  },
  {
    name: 'komari_ping_loss_ratio',
    type: 'gauge',
    help: 'Lost results among the last ones of the ping task from the node (limits.prometheus.pingLossWindow), 0 to 1.',
    of: (p) => p.lossRatio,
  },
  { name: 'komari_ping_results_total', type: 'counter', help: 'Ping results received from the node since the server started.', of: (p) => p.results },
  { name: 'komari_ping_lost_total', type: 'counter', help: 'Ping results the node reported lost since the server started.', of: (p) => p.lost },
];

export const pingFamilyNames = pingMetrics.map((m) => m.name);

/**
 * Per task and node from the ping service's recent results (memory only): the tasks as they are
 * now and the nodes each lists, so a removed task or node leaves the scrape at once.
 */
export function writePingGauges(app: AppContext, out: ExpositionWriter, nodeNames: ReadonlyMap<string, string>): void {
  const series: Array<[string, RecentPing]> = [];
  for (const t of app.ping.tasks()) {
    for (const uuid of t.clients) {
      const name = nodeNames.get(uuid);
      const recent = app.ping.recent.get(t.id, uuid);
      if (name === undefined || !recent) continue;
      series.push([labelText({ task_id: String(t.id), task: t.name, uuid, name }), recent]);
    }
  }
  for (const m of pingMetrics) {
    out.family(m);
    for (const [labels, p] of series) {
      const v = m.of(p);
      if (v !== undefined) out.sample(labels, v);
    }
  }
}
