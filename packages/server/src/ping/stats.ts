import type { PingBucketRow } from '../store/types.ts';
import { answered } from './bucket.ts';

/** Exact figures over buckets (decision 6): from the counts and sums, not from bucket last values. */
export interface ExactStats {
  sent: number;
  lost: number;
  /** % of results lost; 0 when there are none */
  loss: number;
  /** over the answered results; 0 when there are none */
  min: number;
  max: number;
  /** integer mean of the answered results, as Komari's integer division */
  avg: number;
}

export function exactStats(rows: readonly PingBucketRow[]): ExactStats {
  let sent = 0;
  let lost = 0;
  let sum = 0;
  let min = 0;
  let max = 0;
  let ok = 0;
  for (const r of rows) {
    sent += r.sent;
    lost += r.lost;
    if (answered(r) === 0) continue;
    min = ok === 0 ? r.min : Math.min(min, r.min);
    max = ok === 0 ? r.max : Math.max(max, r.max);
    sum += r.sum;
    ok += answered(r);
  }
  // lost·100/sent, not lost/sent·100: 3 of 30 gives exactly 10
  return { sent, lost, loss: sent === 0 ? 0 : (lost * 100) / sent, min, max, avg: ok === 0 ? 0 : Math.trunc(sum / ok) };
}

/** Percentile of sorted values: position (n−1)·p, linear interpolation, rounded (rpc2.md §10.1). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return Math.round(sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo));
}

/** Komari's bucket values (last per bucket) that were answered, sorted: what percentiles read. */
export function answeredValues(rows: readonly PingBucketRow[]): number[] {
  return rows.map((r) => r.last).filter((v) => v >= 0).sort((a, b) => a - b);
}

/** The newest bucket value ≥ 0, else −1. */
export function latestValue(rows: readonly PingBucketRow[]): number {
  let best: PingBucketRow | undefined;
  for (const r of rows) if (r.last >= 0 && (!best || r.start > best.start)) best = r;
  return best ? best.last : -1;
}

/** p50, p99 and the two ratios Komari derives from them (rpc2.md §10.1). */
export function tailStats(rows: readonly PingBucketRow[]) {
  const values = answeredValues(rows);
  const p50 = percentile(values, 0.5);
  const p99 = percentile(values, 0.99);
  const spread = p50 > 0 && p99 >= p50;
  return {
    p50,
    p99,
    /** getRecords: (p99 − p50) / clamp(p50, 10, 50) */
    ratio: spread ? (p99 - p50) / Math.min(Math.max(p50, 10), 50) : 0,
    /** getNodesLatestStatus: (p99 − p50) / p50 */
    tail: spread ? (p99 - p50) / p50 : 0,
  };
}

/** Rows grouped by a key, in first-seen order. */
export function groupBy<K>(rows: readonly PingBucketRow[], key: (r: PingBucketRow) => K): Map<K, PingBucketRow[]> {
  const out = new Map<K, PingBucketRow[]>();
  for (const r of rows) {
    const list = out.get(key(r));
    if (list) list.push(r);
    else out.set(key(r), [r]);
  }
  return out;
}
