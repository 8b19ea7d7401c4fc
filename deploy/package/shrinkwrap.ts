/**
 * The package's npm-shrinkwrap.json: the part of the repository's package-lock.json the server
 * needs at run time, with the lock's paths. build.ts copies exactly these folders into the
 * package (npm ignores a shrinkwrap in a tarball installed with -g, so the dependencies travel
 * inside it), and the file stays in the package as the record of what it holds.
 */

interface LockEntry {
  version?: string;
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  dev?: boolean;
  devOptional?: boolean;
  optional?: boolean;
  [key: string]: unknown;
}

export interface Lockfile {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
}

/**
 * Where Node finds `name` when required from the package at `from` ('' is the root): its own
 * node_modules first, then each enclosing one, as in the lock's layout.
 */
export function locate(lock: Lockfile, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (!base) return undefined;
    const i = base.lastIndexOf('/node_modules/');
    base = i < 0 ? '' : base.slice(0, i);
  }
}

/** The names an entry needs: its dependencies and required peers, then the optional ones. */
function needs(entry: LockEntry): { required: string[]; optional: string[] } {
  const peers = Object.keys(entry.peerDependencies ?? {});
  const optionalPeer = (n: string) => entry.peerDependenciesMeta?.[n]?.optional === true;
  return {
    required: [...Object.keys(entry.dependencies ?? {}), ...peers.filter((n) => !optionalPeer(n))],
    optional: [...Object.keys(entry.optionalDependencies ?? {}), ...peers.filter(optionalPeer)],
  };
}

/** A copy for a production tree: whatever made it dev-only in the workspace does not apply here. */
function prodEntry(entry: LockEntry): LockEntry {
  const { dev: _dev, devOptional, ...rest } = entry;
  return devOptional ? { ...rest, optional: true } : rest;
}

/**
 * Every lock entry reachable from `dependencies` (resolved as from the workspace root: each
 * workspace's dependencies are hoisted there), at the same paths, which stay a valid layout: a
 * path Node would pick in the whole tree is still the first one present in the subset.
 */
export interface Shrinkwrap {
  name: string;
  version: string;
  lockfileVersion: 3;
  requires: true;
  packages: Record<string, LockEntry>;
}

export function shrinkwrapFor(lock: Lockfile, root: LockEntry & { name: string; version: string; dependencies: Record<string, string> }): Shrinkwrap {
  if (lock.lockfileVersion < 2) throw new Error(`package-lock.json is lockfile version ${lock.lockfileVersion}; npm 7 or newer writes version 3`);
  const packages: Record<string, LockEntry> = { '': root };
  const queue: Array<[from: string, name: string, optional: boolean]> = Object.keys(root.dependencies).map((n) => ['', n, false]);
  for (let item = queue.shift(); item; item = queue.shift()) {
    const [from, name, optional] = item;
    const path = locate(lock, from, name);
    if (!path) {
      if (optional) continue;
      throw new Error(`package-lock.json has no ${name} (needed by ${from || 'the server package'}): run npm install`);
    }
    if (path in packages) continue;
    const entry = lock.packages[path]!;
    if (entry.link) throw new Error(`${name} is a workspace link (${path}); the server bundle must inline it instead`);
    packages[path] = prodEntry(entry);
    const { required, optional: opt } = needs(entry);
    for (const n of required) queue.push([path, n, false]);
    for (const n of opt) queue.push([path, n, true]);
  }
  return { name: root.name, version: root.version, lockfileVersion: 3, requires: true, packages };
}
