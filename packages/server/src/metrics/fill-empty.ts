export interface MetricPoint {
  time: number;
  value: number | null;
  count?: number;
}

/**
 * Komari's `fill_empty` (rpc2.md §10.2.2): a null at `start` when the first point is later (or
 * there is none), one at `end` when there are no points, and one after every gap wider than
 * 1.5× the expected spacing (the interval, or the lower quartile of the observed spacing when
 * wider; the interval is then raised to it).
 */
export function fillEmpty(points: readonly MetricPoint[], start: number, end: number, intervalMs: number | undefined) {
  if (points.length === 0) return { points: [{ time: start, value: null }, { time: end, value: null }], intervalMs };
  const gaps = points.slice(1).map((p, i) => p.time - points[i]!.time).sort((a, b) => a - b);
  const quartile = gaps.length > 0 ? gaps[Math.floor((gaps.length - 1) / 4)]! : 0;
  const expected = Math.max(intervalMs ?? 0, quartile);
  const out: MetricPoint[] = [];
  if (points[0]!.time > start) out.push({ time: start, value: null });
  points.forEach((p, i) => {
    out.push(p);
    const next = points[i + 1];
    if (next && expected > 0 && next.time - p.time > 1.5 * expected) out.push({ time: p.time + expected, value: null });
  });
  const raised = intervalMs !== undefined && quartile > intervalMs ? quartile : intervalMs;
  return { points: out, intervalMs: raised };
}
