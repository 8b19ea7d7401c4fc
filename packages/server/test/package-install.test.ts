import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  buildScript,
  commands,
  defaultPrefix,
  inside,
  installedCommand,
  installedPackageDir,
  installScript,
  packageName,
  repoRoot,
} from '../../../deploy/package/layout.ts';
import { serverNodeFlags } from '../src/config/node-flags.ts';
import { eventually, feedOf } from './helpers/agent-common.ts';
import { runCommand, spawnCliServer, type EnvPatch } from './helpers/cli.ts';
import { extractSharedFixture } from './helpers/komari-fixture.ts';
import { http } from './helpers/server.ts';
import { hasSystemdAnalyze, systemdAnalyzeVerify } from './helpers/systemd.ts';

// The server as an npm package (deploy/package/): built with the same script as the Dockerfile's
// build stage, installed with the same script into a temporary prefix, run from there.

/** Building runs vite and rolldown and packs ~3,000 files; installing unpacks them. */
const buildTimeoutMs = 180_000;
const installTimeoutMs = 180_000;
const serverStartTimeoutMs = 30_000;

/** npm's variables of an outer `npm test` would steer the inner npm; `extra` goes on top. */
function npmEnv(extra: EnvPatch = {}): EnvPatch {
  const env: EnvPatch = {};
  for (const k of Object.keys(process.env)) if (k.startsWith('npm_')) env[k] = undefined;
  return { ...env, npm_config_update_notifier: 'false', ...extra };
}

describe('the server package (npm pack, installed into a prefix)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'komari-package-'));
  const prefix = join(dir, 'prefix');
  const pkgDir = installedPackageDir(prefix);
  const komari = installedCommand(prefix);
  let built: { tarball: string; bytes: number; unpackedBytes: number; files: number; ms: number };
  let installMs = 0;

  before(async () => {
    const build = await runCommand([process.execPath, join(repoRoot, buildScript), '--out', join(dir, 'out'), '--json'], npmEnv(), buildTimeoutMs, repoRoot);
    assert.equal(build.code, 0, `build failed: ${build.stderr}`);
    built = JSON.parse(build.stdout.trim().split('\n').at(-1)!);
    const started = Date.now();
    // offline, with an empty cache: the tarball carries its dependencies, no registry is asked
    const offline = npmEnv({ npm_config_offline: 'true', npm_config_cache: join(dir, 'empty-npm-cache') });
    const install = await runCommand(['sh', join(repoRoot, installScript), built.tarball, prefix], offline, installTimeoutMs);
    installMs = Date.now() - started;
    assert.equal(install.code, 0, `install failed: ${install.stderr}`);
  }, { timeout: buildTimeoutMs + installTimeoutMs });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('holds the bundled server, both commands, the web UI and the built agent; no TypeScript; the lock\'s exact versions', (t) => {
    t.diagnostic(`tarball ${(built.bytes / 2 ** 20).toFixed(2)} MiB (${(built.unpackedBytes / 2 ** 20).toFixed(2)} MiB unpacked, ${built.files} files), built in ${built.ms} ms, installed in ${installMs} ms`);
    assert.match(built.tarball, new RegExp(`${packageName}-\\d+\\.\\d+\\.\\d+\\.tgz$`));
    for (const f of Object.values(inside)) assert.ok(existsSync(join(pkgDir, f)), `${f} in the package`);
    assert.ok(existsSync(join(pkgDir, inside.webRoot, 'dist', 'index.html')), 'the built web UI');
    for (const c of Object.values(commands)) assert.ok(existsSync(installedCommand(prefix, c)), `${c} in <prefix>/bin`);
    const own = readdirSync(pkgDir, { recursive: true, encoding: 'utf8' }).filter((f) => !f.startsWith('node_modules'));
    assert.deepEqual(own.filter((f) => /\.[mc]?ts$/.test(f) && !f.endsWith('.d.ts')), [], 'Node would refuse to run TypeScript under node_modules');
    // every dependency is the version the repository's tests use (bundled: npm ignores the shrinkwrap of a -g tarball)
    const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
    const deps = Object.keys((JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { dependencies: object }).dependencies);
    assert.ok(deps.includes('fastify') && !deps.some((d) => d.startsWith('@komari-ts/')));
    for (const d of deps) {
      const installed = JSON.parse(readFileSync(join(pkgDir, 'node_modules', d, 'package.json'), 'utf8')) as { version: string };
      assert.equal(installed.version, lock.packages[`node_modules/${d}`]?.version, d);
    }
  });

  it("the komari command runs with the server's Node flags", () => {
    const shebang = readFileSync(join(pkgDir, inside.launcher), 'utf8').split('\n')[0]!;
    assert.match(shebang, /^#!\/usr\/bin\/env -S node /);
    for (const flag of serverNodeFlags) assert.ok(shebang.split(' ').includes(flag), `${flag} in: ${shebang}`);
  });

  it('komari server starts on a data folder from KOMARI_DATA_DIR, answers /api/version, serves the web UI, stops on SIGTERM', async (t) => {
    const data = join(dir, 'data');
    const started = Date.now();
    const server = await spawnCliServer('', { KOMARI_DB: undefined, KOMARI_DATA_DIR: data, KOMARI_WEB_ROOT: undefined }, [komari, 'server'], serverStartTimeoutMs);
    let stopped = false;
    try {
      const version = await http(server.url, '/api/version');
      t.diagnostic(`first /api/version ${Date.now() - started} ms after the spawn`);
      assert.equal(version.status, 200);
      assert.equal(version.json.status, 'success');
      assert.ok(existsSync(join(data, 'komari.db')), 'the SQLite file is komari.db in the data folder');
      // the web UI is the package's own build
      const page = await fetch(`${server.url}/`);
      assert.equal(page.status, 200);
      const html = await page.text();
      const asset = /(?:src|href)="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
      assert.ok(asset, `a built script in: ${html.slice(0, 400)}`);
      const shipped = readdirSync(join(pkgDir, inside.webRoot, 'dist', 'assets'));
      assert.ok(shipped.includes(asset.slice('/assets/'.length)), `${asset} comes from the package`);
      assert.equal((await fetch(`${server.url}${asset}`)).status, 200);
      // the image's healthcheck command, against this server and then against none
      const env = { KOMARI_LISTEN: new URL(server.url).host };
      const healthy = await runCommand([installedCommand(prefix, commands.healthcheck)], env, serverStartTimeoutMs);
      assert.equal(healthy.code, 0, healthy.stderr);
      assert.match(healthy.stdout, /^healthy: http:\/\/127\.0\.0\.1:\d+ komari-ts /);
      const { code } = await server.stop();
      stopped = true;
      assert.equal(code, 0, 'SIGTERM ends the server cleanly');
      const down = await runCommand([installedCommand(prefix, commands.healthcheck)], env, serverStartTimeoutMs);
      assert.equal(down.code, 1);
      assert.match(down.stderr, /^unhealthy: http:\/\/127\.0\.0\.1:\d+: /);
      const bad = await runCommand([installedCommand(prefix, commands.healthcheck), 'not a url'], {}, serverStartTimeoutMs);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /^unhealthy: not a url: Invalid URL/);
    } finally {
      if (!stopped) await server.stop();
    }
  });

  it('komari server --local-agent runs the packaged agent bundle for this host, which comes online', async () => {
    const server = await spawnCliServer('', { KOMARI_DB: undefined, KOMARI_DATA_DIR: join(dir, 'local') }, [komari, 'server', '--local-agent'], serverStartTimeoutMs);
    try {
      await eventually(async () => ((await http(server.url, '/api/nodes')).json.data as unknown[]).length === 1, serverStartTimeoutMs);
      const [node] = (await http(server.url, '/api/nodes')).json.data as Array<{ uuid: string; name: string }>;
      assert.equal(node!.name, hostname());
      await eventually(async () => (await feedOf(server.url)).online.includes(node!.uuid), serverStartTimeoutMs);
      // the shipped dist/komari-agent.cjs, not the TypeScript source a checkout falls back to
      assert.doesNotMatch(server.stdout() + server.stderr(), /runs from its TypeScript source/);
    } finally {
      await server.stop();
    }
  });

  it('komari import and komari migrate work through the installed command (--data-dir)', async () => {
    const source = await extractSharedFixture(join(dir, 'komari-source'));
    const data = join(dir, 'imported');
    const help = await runCommand([komari, '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--data-dir DIR/);
    const imported = await runCommand([komari, 'import', source.dir, '--data-dir', data]);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /^Imported from Komari 1\.4\.3 \(fresh\) in \d+ ms$/m);
    assert.match(imported.stdout, /^nodes\s+3\s+0$/m);
    const migrated = await runCommand([komari, 'migrate', '--data-dir', data, '--to', join(dir, 'copy.db')]);
    assert.equal(migrated.code, 0, migrated.stderr);
    assert.match(migrated.stdout, /^verified: every table of the target holds as many rows as the source/m);
  });

  it('the systemd unit, with ExecStart on this prefix, passes systemd-analyze verify', async (t) => {
    if (!hasSystemdAnalyze()) return t.skip('systemd-analyze is not installed (Debian: apt-get install systemd)');
    const unit = readFileSync(join(repoRoot, 'deploy/systemd/komari.service'), 'utf8');
    const exec = `ExecStart=${installedCommand(defaultPrefix)} `;
    assert.ok(unit.includes(exec), `${exec} in the unit`);
    const units = join(dir, 'units');
    mkdirSync(units, { recursive: true });
    writeFileSync(join(units, 'komari.service'), unit.replace(exec, `ExecStart=${komari} `));
    const res = await systemdAnalyzeVerify(join(units, 'komari.service'));
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stderr.trim(), '', 'no warnings');
  });
});
