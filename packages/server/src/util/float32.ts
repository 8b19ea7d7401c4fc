/**
 * Komari's float32 fields print as the shortest decimal that reads back as the same float32
 * (public-api.md §1.9): 15.5, 3.96, never 3.9600000381469727.
 */
export function float32(v: number): number {
  const f = Math.fround(v);
  for (let p = 1; p < 10; p++) {
    const s = Number(f.toPrecision(p));
    if (Math.fround(s) === f) return s;
  }
  return f;
}
