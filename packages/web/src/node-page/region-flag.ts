// Komari stores a region as a flag emoji; a bare ISO code ("JP") is turned into its flag too.
export function regionFlag(region: string): string {
  const r = region.trim();
  if (!/^[a-z]{2}$/i.test(r)) return r;
  return String.fromCodePoint(...[...r.toUpperCase()].map((c) => 0x1f1e6 + c.charCodeAt(0) - 65));
}
