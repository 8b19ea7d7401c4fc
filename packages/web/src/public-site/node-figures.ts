// The numbers one card or row shows, derived from the node (totals from basic info) and its
// latest report (totals from the report win: they follow hardware changes without a refetch).
import type { LiveEntry, NodeWire } from './live-types.ts';

export interface Usage {
  used: number;
  total: number;
  /** 0-100, or undefined when the total is unknown */
  percent: number | undefined;
}

export interface NodeFigures {
  online: boolean;
  hasReport: boolean;
  cpu: number;
  ram: Usage;
  swap: Usage;
  disk: Usage;
  up: number;
  down: number;
  totalUp: number;
  totalDown: number;
  load: [number, number, number];
  uptime: number;
  tcp: number;
  udp: number;
}

function usage(used: number | undefined, total: number | undefined): Usage {
  const u = used ?? 0;
  const t = total ?? 0;
  return { used: u, total: t, percent: t > 0 ? Math.min(100, (u / t) * 100) : undefined };
}

export function figuresOf(node: NodeWire, live: LiveEntry): NodeFigures {
  const r = live.report;
  const pick = (fromReport: number | undefined, fromNode: number) => (fromReport && fromReport > 0 ? fromReport : fromNode);
  return {
    online: live.online,
    hasReport: r !== undefined,
    // the feed sends 0 as 0.01 (public-api.md §3.1): show it as the 0 it was
    cpu: r?.cpu?.usage === 0.01 ? 0 : (r?.cpu?.usage ?? 0),
    ram: usage(r?.ram?.used, pick(r?.ram?.total, node.mem_total)),
    swap: usage(r?.swap?.used, pick(r?.swap?.total, node.swap_total)),
    disk: usage(r?.disk?.used, pick(r?.disk?.total, node.disk_total)),
    up: r?.network?.up ?? 0,
    down: r?.network?.down ?? 0,
    totalUp: r?.network?.totalUp ?? 0,
    totalDown: r?.network?.totalDown ?? 0,
    load: [r?.load?.load1 ?? 0, r?.load?.load5 ?? 0, r?.load?.load15 ?? 0],
    uptime: r?.uptime ?? 0,
    tcp: r?.connections?.tcp ?? 0,
    udp: r?.connections?.udp ?? 0,
  };
}

/** Green, amber, red at 70 % and 90 %. */
export function level(percent: number | undefined): 'ok' | 'warn' | 'bad' {
  if (percent === undefined || percent < 70) return 'ok';
  return percent < 90 ? 'warn' : 'bad';
}
