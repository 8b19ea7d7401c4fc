// The data a time chart draws, independent of uPlot: x in Unix seconds, one column per series.
// `null` is a gap (no data, or a lost ping) and breaks the line; `undefined` means "this series
// has no sample at this x" (another series has one) and the line is drawn across it.

export type Cell = number | null | undefined;

export interface ChartSeries {
  label: string;
  values: Cell[];
  /** how a value reads in the legend; the axis formatter otherwise */
  format?: (v: number) => string;
}

export interface ChartModel {
  xs: number[];
  series: ChartSeries[];
}

/** x positions where at least one series has a value: what the chart really draws. */
export function countPoints(m: ChartModel): number {
  let n = 0;
  for (let i = 0; i < m.xs.length; i++) if (m.series.some((s) => typeof s.values[i] === 'number')) n++;
  return n;
}

/** The usual distance between samples: the smallest positive step (buckets are aligned). */
export function stepOf(xs: readonly number[]): number | undefined {
  let step: number | undefined;
  for (let i = 1; i < xs.length; i++) {
    const d = xs[i]! - xs[i - 1]!;
    if (d > 0 && (step === undefined || d < step)) step = d;
  }
  return step;
}

/**
 * Buckets without data are simply absent from the answer; a null row after a sample followed by a
 * long silence keeps the line from bridging the hole, so an outage reads as one.
 */
export function withGaps(m: ChartModel): ChartModel {
  const step = stepOf(m.xs);
  if (step === undefined) return m;
  const xs: number[] = [];
  const cols: Cell[][] = m.series.map(() => []);
  for (let i = 0; i < m.xs.length; i++) {
    if (i > 0 && m.xs[i]! - m.xs[i - 1]! > 2.5 * step) {
      xs.push(m.xs[i - 1]! + step);
      cols.forEach((c) => c.push(null));
    }
    xs.push(m.xs[i]!);
    cols.forEach((c, j) => c.push(m.series[j]!.values[i]));
  }
  return { xs, series: m.series.map((s, j) => ({ ...s, values: cols[j]! })) };
}

/** Sorted distinct times (ms ISO strings → s) of bucketed records. */
export function timesOf(times: readonly string[]): number[] {
  return [...new Set(times.map((t) => Math.floor(Date.parse(t) / 1000)))].sort((a, b) => a - b);
}
