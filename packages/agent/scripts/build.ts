/**
 * `npm run build -w packages/agent` (or `node packages/agent/scripts/build.ts [--if-stale]`): bundles the agent,
 * src/main.ts, into one minified CommonJS file, dist/komari-agent.cjs.
 *
 * Why a build at all (README, Agent; BENCHMARKS.md, Agent): run as .ts, Node loads its
 * TypeScript stripper (a wasm compiler, ~28 MiB of RSS) before the first line of the agent; run as
 * separate ES modules, the module loader costs more than one minified CommonJS script. The
 * source stays runnable as is (`node packages/agent/src/main.ts`) for development.
 *
 * This module is also imported for its paths and freshness check (by the server's local agent
 * and the agent benchmark), so rolldown is imported only when a build actually runs.
 */
import { chmodSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const agentDir = fileURLToPath(new URL('..', import.meta.url));
const sourceDir = join(agentDir, 'src');

/** The agent's entry point as source (development). */
export const agentSourcePath = join(sourceDir, 'main.ts');
/** The built agent: what the server's local agent runs. */
export const builtAgentPath = join(agentDir, 'dist', 'komari-agent.cjs');

/**
 * Node flags the built agent is run with (measured in BENCHMARKS.md, Agent). A 1 MB young
 * generation instead of up to 16 MB: the agent allocates a few KB a second. No JIT: its hot
 * paths run once a second, and as V8 tiers them up the compilers' pages of the node binary add
 * 4-10 MiB of RSS, for a CPU difference within noise (0.12-0.17 % of a core either way).
 * --optimize-for-size: V8 keeps its heap tighter: 1.4 MiB less RSS in the first 20 s, 0.3 MiB less
 * at the median over a minute (the peak, once the collector's pages are in, is the same).
 * Not for the .ts source: --jitless also turns off the WebAssembly that strips types.
 */
export const agentNodeFlags: readonly string[] = ['--max-semi-space-size=1', '--jitless', '--optimize-for-size'];

/** Modification time, or undefined when the file is missing. */
function mtimeOf(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Files whose change makes the bundle stale: the agent's sources, its package.json, this script. */
function inputs(): string[] {
  let files: string[];
  try {
    files = readdirSync(sourceDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  } catch {
    // an installation with the bundle only (the server package, deploy/package): nothing to be
    // older than; npm gives its files the mtimes of the install, in no particular order
    return [];
  }
  return [...files.map((f) => join(sourceDir, f)), join(agentDir, 'package.json'), fileURLToPath(import.meta.url)];
}

/** True when the bundle (dist/komari-agent.cjs unless given) exists and no input is newer. */
export function isBuildFresh(path = builtAgentPath): boolean {
  const built = mtimeOf(path);
  return built !== undefined && inputs().every((f) => (mtimeOf(f) ?? 0) <= built);
}

/**
 * Builds the bundle (dist/komari-agent.cjs unless given), written under a temporary name and
 * renamed, so a process starting it meanwhile never reads half a file.
 */
export async function buildAgent(path = builtAgentPath): Promise<{ path: string; bytes: number }> {
  const { rolldown } = await import('rolldown');
  const bundle = await rolldown({ input: agentSourcePath, platform: 'node', logLevel: 'warn' });
  try {
    const { output } = await bundle.generate({
      format: 'cjs',
      // Names of functions and classes survive, so logged stack traces stay readable.
      minify: { compress: true, mangle: { keepNames: true }, codegen: true },
    });
    const code = output[0].code.replace(/^#!.*\n/, '');
    const flags = agentNodeFlags.join(' ');
    const text = `#!/usr/bin/env -S node ${flags}\n// Built by packages/agent/scripts/build.ts from packages/agent/src; do not edit.\n${code}`;
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    chmodSync(tmp, 0o755);
    renameSync(tmp, path);
    return { path, bytes: Buffer.byteLength(text) };
  } finally {
    await bundle.close();
  }
}

// `--if-stale` (scripts/start.sh): build only when the bundle is missing or older than its inputs.
if (import.meta.main && !(process.argv.includes('--if-stale') && isBuildFresh())) {
  const { path, bytes } = await buildAgent();
  console.log(`built ${path} (${(bytes / 1024).toFixed(0)} KiB)`);
}
