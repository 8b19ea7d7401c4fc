import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { bundleServer, packageOf } from '../../../deploy/package/bundle.ts';
import { runtimeDependencies } from '../../../deploy/package/manifest.ts';
import { locate, shrinkwrapFor, type Lockfile } from '../../../deploy/package/shrinkwrap.ts';
import { runCommand } from './helpers/cli.ts';

// The parts of deploy/package/build.ts that decide what the package holds, on small inputs.

describe('the package bundle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'komari-bundle-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** A source tree of one entry file (and what it reads), bundled as the server would be. */
  function tree(name: string, entry: string, files: Record<string, string> = {}): { input: string; sourceRoot: string } {
    const root = join(dir, name, 'src');
    mkdirSync(root, { recursive: true });
    for (const [f, text] of Object.entries({ 'main.ts': entry, ...files })) writeFileSync(join(root, f), text);
    return { input: join(root, 'main.ts'), sourceRoot: root };
  }

  it('ships a file the source reads beside itself, and the bundled code reads it from there', async () => {
    const src = tree('files', "import { readFileSync } from 'node:fs';\nconsole.log(readFileSync(new URL('./install.sh', import.meta.url), 'utf8').trim());\n", {
      'install.sh': 'echo shipped',
    });
    const out = join(dir, 'files-out', 'dist', 'komari.mjs');
    await bundleServer(out, {}, src);
    assert.equal(readFileSync(join(dir, 'files-out', 'dist', 'files', 'install.sh'), 'utf8'), 'echo shipped');
    rmSync(join(dir, 'files', 'src', 'install.sh'));
    const run = await runCommand([process.execPath, out]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'echo shipped\n');
  });

  it('refuses a file read from outside the sources (a `..` path the package would not hold)', async () => {
    writeFileSync(join(dir, 'outside.txt'), 'not shipped');
    const src = tree('outside', "import { readFileSync } from 'node:fs';\nconsole.log(readFileSync(new URL('../../outside.txt', import.meta.url), 'utf8'));\n");
    await assert.rejects(bundleServer(join(dir, 'outside-out', 'komari.mjs'), {}, src), /main\.ts reads .*outside\.txt, outside .*: the package would not have it/);
  });

  it('refuses an npm import that is not a dependency of the package, naming it', async () => {
    const src = tree('missing', "import { z } from 'zod';\nimport fastify from 'fastify';\nconsole.log(z, fastify);\n");
    await assert.rejects(bundleServer(join(dir, 'missing-out', 'komari.mjs'), { zod: '^4.1.0' }, src), /the server imports fastify, missing from the package's dependencies/);
    await bundleServer(join(dir, 'missing-out', 'komari.mjs'), { zod: '^4.1.0', fastify: '^5.4.0' }, src);
    assert.match(readFileSync(join(dir, 'missing-out', 'komari.mjs'), 'utf8'), /from "fastify"/, 'dependencies stay imports');
  });

  it('names packages by their npm name', () => {
    assert.equal(packageOf('fastify'), 'fastify');
    assert.equal(packageOf('mmdb-lib/lib/decoder.js'), 'mmdb-lib');
    assert.equal(packageOf('@fastify/websocket'), '@fastify/websocket');
    assert.equal(packageOf('@komari-ts/protocol/theme'), '@komari-ts/protocol');
  });

  it("depends on the server's and the protocol's npm packages, never on a workspace", () => {
    const deps = runtimeDependencies();
    for (const d of ['fastify', 'zod', 'pg', 'mmdb-lib', '@ip-location-db/geo-whois-asn-country-mmdb']) assert.ok(d in deps, d);
    assert.deepEqual(Object.keys(deps).filter((d) => d.startsWith('@komari-ts/')), []);
  });
});

describe('the package shrinkwrap', () => {
  const lock: Lockfile = {
    lockfileVersion: 3,
    packages: {
      '': { name: 'root' },
      'node_modules/a': { version: '1.0.0', dependencies: { b: '^1', c: '^2' } },
      'node_modules/a/node_modules/c': { version: '2.0.0' },
      'node_modules/b': { version: '1.1.0', dev: true, peerDependencies: { p: '*', q: '*' }, peerDependenciesMeta: { q: { optional: true } } },
      'node_modules/c': { version: '1.0.0' },
      'node_modules/p': { version: '3.0.0', devOptional: true },
      'node_modules/unused': { version: '9.9.9' },
      'node_modules/@komari-ts/protocol': { link: true },
    },
  };

  it('finds a package as Node does: the nearest node_modules first', () => {
    assert.equal(locate(lock, 'node_modules/a', 'c'), 'node_modules/a/node_modules/c');
    assert.equal(locate(lock, 'node_modules/b', 'c'), 'node_modules/c');
    assert.equal(locate(lock, '', 'nothing'), undefined);
  });

  it('keeps exactly what the dependencies reach, at the same paths, as production entries', () => {
    const wrap = shrinkwrapFor(lock, { name: 'komari-ts', version: '0.1.0', dependencies: { a: '^1' } }) as { packages: Record<string, Record<string, unknown>> };
    assert.deepEqual(Object.keys(wrap.packages).sort(), ['', 'node_modules/a', 'node_modules/a/node_modules/c', 'node_modules/b', 'node_modules/p']);
    assert.equal(wrap.packages['node_modules/b']!.dev, undefined);
    assert.equal(wrap.packages['node_modules/p']!.optional, true);
  });

  it('refuses a dependency the lock lacks, and a workspace link', () => {
    assert.throws(() => shrinkwrapFor(lock, { name: 'k', version: '0', dependencies: { gone: '^1' } }), /package-lock\.json has no gone \(needed by the server package\)/);
    assert.throws(() => shrinkwrapFor(lock, { name: 'k', version: '0', dependencies: { '@komari-ts/protocol': '0.1.0' } }), /is a workspace link/);
  });
});
