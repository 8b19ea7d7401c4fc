import { samplesOf } from '../history/bucket.ts';
import type { HistoryRow, PingBucketRow } from '../store/types.ts';
import type { MetricSource } from './definitions.ts';

/**
 * What one stored bucket says about one metric: its sample count and sum, and the extremes and
 * edge values where the bucket keeps them (`mean` stands in where it does not).
 */
export interface Part {
  start: number;
  count: number;
  sum: number;
  mean: number;
  min: number;
  max: number;
  first: number;
  last: number;
}

function part(start: number, count: number, sum: number, over: Partial<Part> = {}): Part {
  const mean = sum / count;
  return { start, count, sum, mean, min: mean, max: mean, first: mean, last: mean, ...over };
}

/** A load bucket's part for a metric; undefined when the bucket has no sample of it. */
export function loadPart(row: HistoryRow, src: MetricSource): Part | undefined {
  if (row.count === 0) return undefined;
  if (src.kind === 'gauge') {
    const n = samplesOf(row, src.gauge);
    // The max of a gauge is kept; its min and edge values are not.
    return n === 0 ? undefined : part(row.start, n, row.sum[src.gauge], { max: row.max[src.gauge] });
  }
  if (src.kind === 'traffic') return part(row.start, row.count, src.dir === 'up' ? row.trafficUp : row.trafficDown);
  if (src.kind === 'total') {
    // A counter keeps its newest value per bucket: that value is every aggregate of the bucket.
    const v = src.dir === 'up' ? row.netTotalUp : row.netTotalDown;
    return part(row.start, row.count, v * row.count);
  }
  return undefined;
}

/**
 * A ping bucket's part, as Komari stores results: latency as sent (−1 for a loss), loss as 1/0.
 * Both are exact per bucket except the first value.
 */
export function pingPart(row: PingBucketRow, what: 'latency' | 'loss'): Part | undefined {
  if (row.sent === 0) return undefined;
  const answered = row.sent - row.lost;
  if (what === 'loss') {
    return part(row.start, row.sent, row.lost, { min: answered > 0 ? 0 : 1, max: row.lost > 0 ? 1 : 0, last: row.last < 0 ? 1 : 0 });
  }
  return part(row.start, row.sent, row.sum - row.lost, {
    min: row.lost > 0 ? -1 : row.min,
    max: answered > 0 ? row.max : -1,
    last: row.last < 0 ? -1 : row.last,
  });
}
