/**
 * `maxCount` of common:getRecords (rpc2.md §10.1), as Komari does it: when the groups hold more
 * points than allowed, each group keeps ⌊len·max/total⌋, leftovers go to the largest fractional
 * parts, then round-robin; inside a group the kept points are evenly spread indices.
 */
export function allocateTargets(lengths: readonly number[], maxTotal: number): number[] {
  const total = lengths.reduce((a, b) => a + b, 0);
  if (maxTotal < 0 || total <= maxTotal) return [...lengths];
  const raw = lengths.map((n) => (n * maxTotal) / total);
  const out = raw.map((r, i) => Math.min(Math.floor(r), lengths[i]!));
  let need = maxTotal - out.reduce((a, b) => a + b, 0);
  const byFraction = raw.map((r, i) => ({ i, frac: r - out[i]! })).sort((a, b) => b.frac - a.frac);
  for (const { i } of byFraction) {
    if (need === 0) break;
    if (out[i]! < lengths[i]!) {
      out[i]!++;
      need--;
    }
  }
  while (need > 0) {
    const before = need;
    for (let i = 0; i < out.length && need > 0; i++) {
      if (out[i]! < lengths[i]!) {
        out[i]!++;
        need--;
      }
    }
    if (need === before) break;
  }
  return out;
}

/** The indices pickEvenly keeps of n points: round(i·(n−1)/(k−1)); k = 1 keeps the last one. */
export function pickIndices(n: number, k: number): number[] {
  if (k <= 0 || n === 0) return [];
  if (k >= n) return Array.from({ length: n }, (_, i) => i);
  if (k === 1) return [n - 1];
  return Array.from({ length: k }, (_, i) => Math.round((i * (n - 1)) / (k - 1)));
}

/** k points of `items` at indices round(i·(n−1)/(k−1)); k = 1 keeps the last point. */
export function pickEvenly<T>(items: readonly T[], k: number): T[] {
  return pickIndices(items.length, k).map((i) => items[i]!);
}
