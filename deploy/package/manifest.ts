/**
 * The package's package.json and npm-shrinkwrap.json, from the repository's own: the server's and
 * the protocol's run-time dependencies (the protocol itself is inlined in the bundle), the root's
 * version and Node engine, and the lock's exact versions.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commands, inside, packageName, repoRoot } from './layout.ts';
import { shrinkwrapFor, type Lockfile, type Shrinkwrap } from './shrinkwrap.ts';

interface PackageJson {
  version?: string;
  description?: string;
  engines?: Record<string, string>;
  dependencies?: Record<string, string>;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(join(repoRoot, path), 'utf8')) as T;

/** The workspaces whose code the server bundle holds. */
const bundledWorkspaces = ['packages/server', 'packages/protocol'];

/** Their npm dependencies, ours (`@komari-ts/*`, inlined) left out; one range per name. */
export function runtimeDependencies(): Record<string, string> {
  const deps: Record<string, string> = {};
  for (const ws of bundledWorkspaces) {
    for (const [name, range] of Object.entries(readJson<PackageJson>(`${ws}/package.json`).dependencies ?? {})) {
      if (name.startsWith('@komari-ts/')) continue;
      if (deps[name] !== undefined && deps[name] !== range) throw new Error(`${name} is wanted as ${deps[name]} and ${range}; make the workspaces agree`);
      deps[name] = range;
    }
  }
  return Object.fromEntries(Object.entries(deps).sort(([a], [b]) => a.localeCompare(b)));
}

export interface Manifests {
  packageJson: object;
  shrinkwrap: Shrinkwrap;
  version: string;
}

export function manifests(dependencies: Record<string, string>): Manifests {
  const root = readJson<PackageJson>('package.json');
  const lock = readJson<Lockfile>('package-lock.json');
  // The shrinkwrap resolves from the lock's root: a workspace with a nested copy of its own would be lost.
  const nested = Object.keys(lock.packages).find((p) => bundledWorkspaces.some((ws) => p.startsWith(`${ws}/node_modules/`)));
  if (nested) throw new Error(`package-lock.json nests ${nested}; the package build expects every server dependency hoisted`);
  const version = root.version ?? '0.0.0';
  const bin = { [commands.server]: inside.launcher, [commands.healthcheck]: inside.healthcheck };
  const engines = root.engines ?? {};
  const packageJson = {
    name: packageName,
    version,
    description: `${root.description ?? 'komari-ts'}: the server, with its web UI`,
    type: 'module',
    bin,
    engines,
    dependencies,
    // shipped inside the tarball (build.ts says why)
    bundleDependencies: Object.keys(dependencies),
  };
  const shrinkwrap = shrinkwrapFor(lock, { name: packageName, version, bin, engines, dependencies });
  return { packageJson, shrinkwrap, version };
}
