/** RFC 3339 in UTC with trailing fractional zeros dropped, as Komari serialises times. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.?0+Z$/, 'Z');
}
