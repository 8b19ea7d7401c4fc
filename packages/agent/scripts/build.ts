/**
 * `npm run build -w packages/agent` (or `node packages/agent/scripts/build.ts [--if-stale]`): bundles the agent,
 * src/main.ts, into one minified CommonJS file, dist/komari-agent.cjs, and writes beside it
 * install.sh, the installer the server serves (scripts/install.sh with the agent's Node flags
 * filled in), so wherever the bundle goes (a checkout, the server's package) its installer goes too.
 *
 * Why a build at all (README, Agent; BENCHMARKS.md, Agent): run as .ts, Node loads its
 * TypeScript stripper (a wasm compiler, ~28 MiB of RSS) before the first line of the agent; run as
 * separate ES modules, the module loader costs more than one minified CommonJS script. The
 * source stays runnable as is (`node packages/agent/src/main.ts`) for development.
 *
 * This module is also imported for its paths and freshness check (by the server's local agent
 * and the agent benchmark), so rolldown is imported only when a build actually runs.
 */
import { chmodSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const agentDir = fileURLToPath(new URL('..', import.meta.url));
const sourceDir = join(agentDir, 'src');

/** The agent's entry point as source (development). */
export const agentSourcePath = join(sourceDir, 'main.ts');
/** The built agent: what the server's local agent runs. */
export const builtAgentPath = join(agentDir, 'dist', 'komari-agent.cjs');
/** The installer's source; `@NODE_FLAGS@` and `@MIN_NODE_MAJOR@` are filled in at build time. */
export const installScriptSource = join(agentDir, 'scripts', 'install.sh');
/** The built installer beside a built agent (`GET /api/agent/install.sh` serves it). */
export const installScriptBeside = (bundle: string): string => join(dirname(bundle), 'install.sh');
/** The oldest Node.js major the installer accepts on a host; older ones get the server's runtime. */
export const minAgentNodeMajor = 24;

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
  return [...files.map((f) => join(sourceDir, f)), join(agentDir, 'package.json'), installScriptSource, fileURLToPath(import.meta.url)];
}

/** True when the bundle (dist/komari-agent.cjs unless given) and its install.sh exist and no input is newer. */
export function isBuildFresh(path = builtAgentPath): boolean {
  const built = mtimeOf(path);
  const script = mtimeOf(installScriptBeside(path));
  if (built === undefined || script === undefined) return false;
  const oldest = Math.min(built, script);
  return inputs().every((f) => (mtimeOf(f) ?? 0) <= oldest);
}

/** Writes `text` to `path` through a temporary name, so a reader never sees half a file. */
function writeWhole(path: string, text: string, mode: number): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  chmodSync(tmp, mode);
  renameSync(tmp, path);
}

/** scripts/install.sh with the values it takes from this file. */
export function installScriptText(): string {
  return readFileSync(installScriptSource, 'utf8')
    .replaceAll('@NODE_FLAGS@', agentNodeFlags.join(' '))
    .replaceAll('@MIN_NODE_MAJOR@', String(minAgentNodeMajor));
}

/**
 * Builds the bundle (dist/komari-agent.cjs unless given) and its install.sh beside it, each written
 * under a temporary name and renamed, so a process starting it meanwhile never reads half a file.
 * The script is written first: a bundle newer than its script is what `isBuildFresh` checks.
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
    writeWhole(installScriptBeside(path), installScriptText(), 0o644);
    writeWhole(path, text, 0o755);
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
