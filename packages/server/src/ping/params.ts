/** Go's strconv.Atoi: optional sign, base-10 digits, within int64; anything else is undefined. */
export function atoi(s: string): number | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n > 2n ** 63n - 1n || n < -(2n ** 63n) ? undefined : Number(n);
}

/** Komari's REST ping handler decodes these params as strings and skips a mistyped one. */
export const text = (v: unknown): string => (typeof v === 'string' ? v : '');
