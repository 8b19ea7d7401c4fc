// History tiers ({bucketSeconds, keepHours}, protocol/retention.ts) as the editor shows them: a
// number and a unit each, so "5 minutes kept 7 days" reads as such instead of 300 s / 168 h.
import type { RetentionTier } from '@komari-ts/protocol';

export const intervalUnits = { s: 1, min: 60, h: 3600, d: 86400 } as const;
export const keepUnits = { h: 1, d: 24 } as const;
export type IntervalUnit = keyof typeof intervalUnits;
export type KeepUnit = keyof typeof keepUnits;

export interface TierRow {
  /** a stable React key: rows are added and removed in place */
  id: number;
  interval: string;
  intervalUnit: IntervalUnit;
  keep: string;
  keepUnit: KeepUnit;
}

let nextId = 1;

/** The largest unit the value is a whole multiple of. */
function largestUnit<U extends string>(value: number, units: Record<U, number>): U {
  const sorted = (Object.entries(units) as [U, number][]).sort((a, b) => b[1] - a[1]);
  return (sorted.find(([, size]) => value > 0 && value % size === 0) ?? sorted[sorted.length - 1]!)[0];
}

export function rowOf(tier: RetentionTier): TierRow {
  const intervalUnit = largestUnit(tier.bucketSeconds, intervalUnits);
  const keepUnit = largestUnit(tier.keepHours, keepUnits);
  return {
    id: nextId++,
    interval: String(tier.bucketSeconds / intervalUnits[intervalUnit]),
    intervalUnit,
    keep: String(tier.keepHours / keepUnits[keepUnit]),
    keepUnit,
  };
}

export function blankRow(): TierRow {
  return { id: nextId++, interval: '', intervalUnit: 'd', keep: '', keepUnit: 'd' };
}

/** What the server stores; a field left empty or not a number is sent as 0 for the server to refuse. */
export function tierOf(row: TierRow): RetentionTier {
  const n = (v: string) => (Number.isFinite(Number(v)) && v.trim() !== '' ? Number(v) : 0);
  return {
    bucketSeconds: Math.round(n(row.interval) * intervalUnits[row.intervalUnit]),
    keepHours: n(row.keep) * keepUnits[row.keepUnit],
  };
}
