/**
 * `node deploy/package/build.ts [--out DIR] [--json]`: builds the server package,
 * DIR/komari-ts-<version>.tgz (DIR defaults to .tmp/package), with `npm pack`. The Dockerfile's
 * build stage runs this same command, and so does the package test.
 *
 * Inside: bin/komari.mjs (the `komari` command), bin/komari-healthcheck.mjs, dist/komari.mjs (the
 * server, bundled to plain JavaScript), dist/komari-agent.cjs (the built agent, for
 * --local-agent), web/dist/ (the web UI, built by vite), package.json and npm-shrinkwrap.json.
 * Run from a checkout after `npm install` (vite and rolldown are dev dependencies); installing
 * the tarball needs only Node 24 and npm.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build as viteBuild } from 'vite';
import { buildAgent } from '../../packages/agent/scripts/build.ts';
import { serverNodeFlags } from '../../packages/server/src/config/node-flags.ts';
import { bundleLauncher, bundleServer } from './bundle.ts';
import { inside, repoRoot } from './layout.ts';
import { manifests, runtimeDependencies } from './manifest.ts';

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

/** `npm pack` of the staged folder into `outDir`; npm's own account of what it packed. */
function npmPack(stage: string, outDir: string): Omit<BuildResult, 'ms'> {
  const res = spawnSync('npm', ['pack', '--json', '--pack-destination', outDir], { cwd: stage, encoding: 'utf8' });
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
