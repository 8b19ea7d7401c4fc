import type { Report } from '@komari-ts/protocol';
import type { TrafficDelta } from './bucket.ts';

/**
 * The previous sample's counters for one node. `undefined` means "no baseline": the first sample
 * ever, or the uptime after a server restart (records.md §3.3 skips the uptime check then).
 */
export interface TrafficBaseline {
  up?: number;
  down?: number;
  uptime?: number;
}

/**
 * Bytes sent and received since the previous sample, exactly as Komari 1.4.3 (records.md §3.3):
 * 0 without a baseline, 0 in both directions when the host rebooted (uptime fell), 0 in one
 * direction when its counter fell (NIC reset, month rotation). Never negative. Moves the baseline.
 */
export function trafficDelta(base: TrafficBaseline, r: Report): TrafficDelta {
  const { totalUp, totalDown } = r.network;
  const restarted = base.uptime !== undefined && r.uptime < base.uptime;
  const up = base.up !== undefined && !restarted && totalUp >= base.up ? totalUp - base.up : 0;
  const down = base.down !== undefined && !restarted && totalDown >= base.down ? totalDown - base.down : 0;
  base.up = totalUp;
  base.down = totalDown;
  base.uptime = r.uptime;
  return { up, down };
}
