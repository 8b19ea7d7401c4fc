/**
 * One Komari rollup row (records.md §4, §8.2) as the numbers the import uses, after checking them:
 * SQLite keeps whatever a column was given (a string, NaN stored as NULL, a blob), so every value
 * is checked before it reaches a tier.
 */
export interface Summary {
  count: number;
  sum: number;
  min: number;
  max: number;
  first: number;
  last: number;
  /** time of the last sample, inside the bucket */
  lastAt: number;
}

/** What a metric's values may be: [lo, hi] for every sample. */
export interface ValueRange {
  lo: number;
  hi: number;
}

const maxBytes = Number.MAX_SAFE_INTEGER;
export const ranges = {
  percent: { lo: 0, hi: 100 },
  bytes: { lo: 0, hi: maxBytes },
  load: { lo: 0, hi: 1e6 },
  count: { lo: 0, hi: 1e9 },
  /** ms; −1 is Komari's "lost" */
  latency: { lo: -1, hi: 3_600_000 },
  /** 1 lost, 0 answered */
  ratio: { lo: 0, hi: 1 },
} satisfies Record<string, ValueRange>;

/** A finite number from a column, or undefined (text, blob, null, NaN, an integer beyond 2^53). */
export function numberOf(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'bigint') return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : undefined;
  return undefined;
}

export function integerOf(v: unknown): number | undefined {
  const n = numberOf(v);
  return n !== undefined && Number.isInteger(n) ? n : undefined;
}

const slack = (x: number) => 1e-9 * Math.max(1, Math.abs(x));

/** Why a row's values cannot be a bucket, or undefined when they can. */
export function summaryProblem(s: Summary, range: ValueRange, resolutionMs: number): string | undefined {
  if (s.count < 1 || s.count > resolutionMs) return 'sample count out of range';
  if (s.min < range.lo - slack(range.lo) || s.max > range.hi + slack(range.hi) || s.min > s.max) return 'value out of range';
  const avg = s.sum / s.count;
  const inside = (x: number) => x >= s.min - slack(s.min) && x <= s.max + slack(s.max);
  if (!inside(avg) || !inside(s.first) || !inside(s.last)) return 'inconsistent summary';
  return undefined;
}

/** The numeric columns of a rollup row, or undefined when one is not a finite number. */
export function readSummary(row: Record<string, unknown>, bucket: number, resolutionMs: number): Summary | undefined {
  const count = integerOf(row.count);
  const sum = numberOf(row.sum);
  const min = numberOf(row.min_val);
  const max = numberOf(row.max_val);
  const first = numberOf(row.first_val);
  const last = numberOf(row.last_val);
  if (count === undefined || sum === undefined || min === undefined || max === undefined || first === undefined || last === undefined) {
    return undefined;
  }
  // The last sample's time only orders buckets; one outside the bucket is held at its edge.
  const at = integerOf(row.last_ts_milli) ?? bucket + resolutionMs - 1;
  const lastAt = Math.min(Math.max(at, bucket), bucket + resolutionMs - 1);
  return { count, sum, min, max, first, last, lastAt };
}
