/**
 * Which network interfaces count toward speed and totals (agent-protocol.md §14).
 *
 * - Names starting with a loopback or virtual prefix never count through a pattern, as in the
 *   official agent (`monitoring/unit/net.go`): traffic on them is already counted on a real NIC.
 * - --include-nics: only matching names count. An entry that names a virtual interface exactly
 *   (no wildcard), e.g. `lo` or `br0`, counts it: the user asked for that interface by name.
 * - --exclude-nics: matching names do not count (ignored when an include list is given, as in
 *   the official agent).
 * Entries are names or globs: `*` any run of characters, `?` one character.
 */
export const VIRTUAL_NIC_PREFIXES = [
  'lo', 'docker', 'veth', 'br', 'virbr', 'vmbr', 'tap', 'cni', 'flannel', 'podman', 'fwbr', 'fwpr',
] as const;

export type NicFilter = (name: string) => boolean;

const isGlob = (s: string) => /[*?]/.test(s);

export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

function matcher(entries: readonly string[]): NicFilter | undefined {
  if (entries.length === 0) return undefined;
  const exact = new Set(entries.filter((e) => !isGlob(e)));
  const globs = entries.filter(isGlob).map(globToRegExp);
  return (name) => exact.has(name) || globs.some((g) => g.test(name));
}

export function isVirtualNic(name: string): boolean {
  return VIRTUAL_NIC_PREFIXES.some((p) => name.startsWith(p));
}

/** A filter whose answers are cached per name: it runs once per interface, not once per tick. */
export function compileNicFilter(include: readonly string[], exclude: readonly string[]): NicFilter {
  const inc = matcher(include);
  const exc = matcher(exclude);
  const named = new Set(include.filter((e) => !isGlob(e)));
  const decide = (name: string): boolean => {
    if (named.has(name)) return true;
    if (isVirtualNic(name)) return false;
    if (inc) return inc(name);
    return !exc?.(name);
  };
  const cache = new Map<string, boolean>();
  return (name) => {
    let v = cache.get(name);
    if (v === undefined) {
      if (cache.size > 4096) cache.clear(); // interfaces come and go (veth churn): stay bounded
      v = decide(name);
      cache.set(name, v);
    }
    return v;
  };
}
