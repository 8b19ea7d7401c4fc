// The reports the page keeps: merged by time without repeats, only those within the live window
// of the newest, and never more than the bound, however often the agent reports.
import { nodePageLimits } from './limits.ts';
import type { LiveReport } from './node-wire.ts';

const secondsOf = (r: LiveReport) => Date.parse(r.updated_at) / 1000;

/** The bounds mergeReports keeps to (the page's own by default). */
export interface WindowLimits {
  windowSeconds: number;
  maxReports: number;
}

export function mergeReports(old: readonly LiveReport[], add: readonly LiveReport[], limits: WindowLimits = nodePageLimits.live): LiveReport[] {
  const byTime = new Map<string, LiveReport>();
  for (const r of [...old, ...add]) byTime.set(r.updated_at, r);
  const sorted = [...byTime.values()].sort((a, b) => secondsOf(a) - secondsOf(b));
  const newest = sorted.at(-1);
  const cutoff = newest ? secondsOf(newest) - limits.windowSeconds : 0;
  return sorted.filter((r) => secondsOf(r) >= cutoff).slice(-limits.maxReports);
}
