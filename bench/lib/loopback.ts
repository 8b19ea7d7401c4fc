/**
 * A source address for the i-th simulated browser, over `spread` addresses. On Linux every
 * 127.x.y.z reaches a server bound to 127.0.0.1; spreading browsers over them makes them distinct
 * addresses, as real browsers are, so the server's per-address guest cap (32 by default) applies
 * to each as it would in the field.
 */
export function browserAddress(i: number, spread = 60_000): string {
  const n = i % spread;
  return `127.1.${Math.floor(n / 250) % 250}.${1 + (n % 250)}`;
}
