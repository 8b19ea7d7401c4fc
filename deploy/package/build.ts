/**
 * `node deploy/package/build.ts [--out DIR] [--json]`: builds the server package,
 * DIR/komari-ts-<version>.tgz (DIR defaults to .tmp/package), with `npm pack`. The Dockerfile's
 * build stage runs this same command, and so does the package test.
 *
 * Inside: bin/komari.mjs (the `komari` command), bin/komari-healthcheck.mjs, dist/komari.mjs (the
 * server, bundled to plain JavaScript), dist/komari-agent.cjs (the built agent, for
 * --local-agent), web/dist/ (the web UI, built by vite), package.json, npm-shrinkwrap.json, and
 * node_modules/ with the run-time dependencies at the lock's versions (bundleDependencies).
 * Run from a checkout after `npm install` (vite and rolldown are dev dependencies); installing
 * the tarball needs only Node 24 and npm, and no network.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { build as viteBuild } from 'vite';
import { buildAgent } from '../../packages/agent/scripts/build.ts';
import { serverNodeFlags } from '../../packages/server/src/config/node-flags.ts';
import { bundleLauncher, bundleServer } from './bundle.ts';
import { inside, repoRoot } from './layout.ts';
import { buildLimits } from './limits.ts';
import { manifests, runtimeDependencies } from './manifest.ts';
import type { Shrinkwrap } from './shrinkwrap.ts';

export interface BuildResult {
  tarball: string;
  /** the tarball's size */
  bytes: number;
  /** the installed package's size without its dependencies */
  unpackedBytes: number;
  files: number;
  ms: number;
}

const here = (file: string) => join(repoRoot, 'deploy/package', file);

async function buildWeb(outDir: string): Promise<void> {
  // Its own output folder, not packages/web/dist: a test server may be serving that one meanwhile.
  await viteBuild({ root: join(repoRoot, 'packages/web'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
}

/**
 * A dependency's file that nothing runs: TypeScript sources and declarations, source maps, and
 * documentation other than a licence. Two fifths of the files and bytes of the dependencies;
 * leaving them out makes the tarball quicker to pack and to install.
 */
function notRunTime(path: string): boolean {
  const name = basename(path);
  const skip = /\.([cm]?ts|map)$/.test(name) || (/\.md$/i.test(name) && !/^licen[cs]e/i.test(name));
  return skip && lstatSync(path).isFile();
}

/**
 * The dependencies at the shrinkwrap's exact versions, copied into the staged folder's
 * node_modules from the checkout's (the same layout: the shrinkwrap keeps the lock's paths), to be
 * bundled in the tarball: npm ignores the npm-shrinkwrap.json of a local tarball installed with -g
 * (npm/cli#5325), and a bundled tree also installs with no registry at all. A copy that is not the
 * lock's version (node_modules older than package-lock.json) stops the build.
 */
function copyDependencies(stage: string, shrinkwrap: Shrinkwrap): void {
  for (const [path, entry] of Object.entries(shrinkwrap.packages)) {
    if (path === '') continue;
    const from = join(repoRoot, path);
    const version = existsSync(join(from, 'package.json')) ? (JSON.parse(readFileSync(join(from, 'package.json'), 'utf8')) as { version?: string }).version : undefined;
    if (version !== entry.version) {
      throw new Error(`${path} is ${version ?? 'missing'} in node_modules but ${entry.version} in package-lock.json: run npm install`);
    }
    // its own files only (each nested dependency is an entry of its own), and only what runs
    cpSync(from, join(stage, path), { recursive: true, verbatimSymlinks: true, filter: (src) => !relative(from, src).split(sep).includes('node_modules') && !notRunTime(src) });
  }
}

/** `npm pack` of the staged folder into `outDir`; npm's own account of what it packed. */
function npmPack(stage: string, outDir: string): Omit<BuildResult, 'ms'> {
  const res = spawnSync('npm', ['pack', '--json', '--pack-destination', outDir], { cwd: stage, encoding: 'utf8', maxBuffer: buildLimits.npmOutputMaxBytes });
  if (res.status !== 0) throw new Error(`npm pack failed (${res.status}): ${res.stderr}`);
  const [info] = JSON.parse(res.stdout) as Array<{ filename: string; size: number; unpackedSize: number; entryCount: number }>;
  if (!info) throw new Error(`npm pack printed no result: ${res.stdout}`);
  return { tarball: join(outDir, info.filename), bytes: info.size, unpackedBytes: info.unpackedSize, files: info.entryCount };
}

export async function buildPackage(outDir: string): Promise<BuildResult> {
  const started = Date.now();
  const stage = mkdtempSync(join(tmpdir(), 'komari-package-'));
  try {
    const dependencies = runtimeDependencies();
    const { packageJson, shrinkwrap } = manifests(dependencies);
    await Promise.all([
      buildWeb(join(stage, inside.webRoot, 'dist')),
      bundleServer(join(stage, inside.serverBundle), dependencies),
      buildAgent(join(stage, inside.agentBundle)),
      bundleLauncher(here('launcher.ts'), join(stage, inside.launcher), serverNodeFlags),
      bundleLauncher(here('healthcheck.ts'), join(stage, inside.healthcheck), []),
    ]);
    writeFileSync(join(stage, 'package.json'), `${JSON.stringify(packageJson, null, 2)}\n`);
    writeFileSync(join(stage, 'npm-shrinkwrap.json'), `${JSON.stringify(shrinkwrap, null, 2)}\n`);
    copyDependencies(stage, shrinkwrap);
    writeFileSync(
      join(stage, 'README.md'),
      '# komari-ts\n\nThe komari-ts server with its web UI. `komari --help` lists its commands and flags; the project\'s ' +
        'README (sections "Install as a package", "Docker", "systemd") says how to run it.\n',
    );
    mkdirSync(outDir, { recursive: true });
    return { ...npmPack(stage, outDir), ms: Date.now() - started };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { out: { type: 'string' }, json: { type: 'boolean' } } });
  const result = await buildPackage(resolve(values.out ?? join(repoRoot, '.tmp/package')));
  console.log(
    values.json
      ? JSON.stringify(result)
      : `built ${result.tarball}: ${(result.bytes / 2 ** 20).toFixed(1)} MiB (${(result.unpackedBytes / 2 ** 20).toFixed(1)} MiB unpacked, ${result.files} files) in ${(result.ms / 1000).toFixed(1)} s`,
  );
}
