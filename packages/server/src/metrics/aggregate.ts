import { AppError } from '../errors.ts';
import type { Part } from './parts.ts';

export type Aggregation = { kind: 'avg' | 'min' | 'max' | 'sum' | 'count' | 'first' | 'last' | 'rate' | 'stddev' } | { kind: 'percentile'; p: number; name: string };

const aliases: Record<string, Aggregation['kind']> = {
  avg: 'avg', average: 'avg', mean: 'avg', min: 'min', max: 'max', sum: 'sum', count: 'count', first: 'first', last: 'last',
  rate: 'rate', stddev: 'stddev', std_dev: 'stddev', stddev_pop: 'stddev', std_dev_pop: 'stddev',
};

/** Komari's aggregation names (rpc2.md §10.2.2), case-insensitive; `pNN` percentiles up to p100. */
export function parseAggregation(raw: string): Aggregation {
  const s = raw.trim().toLowerCase() || 'avg';
  const kind = aliases[s];
  if (kind) return { kind } as Aggregation;
  const m = /^p(\d{1,2}(?:\.\d+)?|100)$/.exec(s);
  if (m) return { kind: 'percentile', p: Number(m[1]), name: s };
  throw AppError.invalidParams(`Failed to query metrics: unsupported aggregation: ${raw.slice(0, 32)}`);
}

export function aggregationName(a: Aggregation): string {
  return a.kind === 'percentile' ? a.name : a.kind;
}

/**
 * One output point from the stored buckets inside it. avg, sum, count are exact, as are max of
 * gauges and every figure of ping series; min, first, last of gauges, stddev and percentiles are
 * taken over the buckets' means weighted by their counts (the finest resolution komari-ts keeps).
 */
export function aggregate(parts: readonly Part[], a: Aggregation): number {
  const count = parts.reduce((n, p) => n + p.count, 0);
  const sum = parts.reduce((n, p) => n + p.sum, 0);
  switch (a.kind) {
    case 'avg':
      return sum / count;
    case 'sum':
      return sum;
    case 'count':
      return count;
    case 'min':
      return Math.min(...parts.map((p) => p.min));
    case 'max':
      return Math.max(...parts.map((p) => p.max));
    case 'first':
      return parts[0]!.first;
    case 'last':
      return parts.at(-1)!.last;
    case 'stddev': {
      const avg = sum / count;
      return Math.sqrt(parts.reduce((n, p) => n + p.count * (p.mean - avg) ** 2, 0) / count);
    }
    case 'percentile':
      return weightedPercentile(parts, a.p, count);
    case 'rate':
      // Komari cannot derive a rate from rollups either (records.md §4).
      throw AppError.invalidParams('Failed to query metrics: rate cannot be derived from rollup buckets');
  }
}

/** Nearest rank over the bucket means, each counted as many times as it has samples. */
function weightedPercentile(parts: readonly Part[], p: number, count: number): number {
  const sorted = [...parts].sort((x, y) => x.mean - y.mean);
  const rank = Math.max(1, Math.ceil((p / 100) * count));
  let seen = 0;
  for (const part of sorted) {
    seen += part.count;
    if (seen >= rank) return part.mean;
  }
  return sorted.at(-1)!.mean;
}
