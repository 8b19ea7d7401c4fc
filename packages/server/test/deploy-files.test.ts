import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { buildScript, commands, defaultPrefix, imagePrefix, installedCommand, installScript, packageName, repoRoot } from '../../../deploy/package/layout.ts';
import { localUrl } from '../../../deploy/package/local-url.ts';
import { serverMallocEnv } from '../src/config/node-flags.ts';
import { runCommand } from './helpers/cli.ts';
import { dockerArgs, dockerEnv, dockerStages, unitSection, type DockerInstruction } from './helpers/deploy-files.ts';

// deploy/: there is no Docker engine on the machines that run these tests, so the Dockerfile is
// held to running exactly the scripts packages/server/test/package-install.test.ts runs for real.

const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');
const all = (stage: DockerInstruction[], keyword: string) => stage.filter((i) => i.keyword === keyword).map((i) => i.args);
const one = (stage: DockerInstruction[], keyword: string) => {
  const found = all(stage, keyword);
  assert.equal(found.length, 1, `one ${keyword} in the stage: ${JSON.stringify(found)}`);
  return found[0]!;
};

describe('deploy/Dockerfile', () => {
  const stages = dockerStages(read('deploy/Dockerfile'));
  const [build, final] = stages as [DockerInstruction[], DockerInstruction[]];

  it('has two stages on the Node 24 image, the first named build', () => {
    assert.equal(stages.length, 2);
    assert.match(dockerArgs(build).NODE_IMAGE ?? '', /^node:24(-|$)/);
    assert.equal(one(build, 'FROM'), '${NODE_IMAGE} AS build');
    assert.equal(one(final, 'FROM'), '${NODE_IMAGE}');
  });

  it("builds with the package test's own scripts and nothing else: npm ci, the build script, the install script", () => {
    assert.deepEqual(all(build, 'RUN'), [
      'npm ci --no-audit --no-fund',
      `node ${buildScript} --out /out`,
      `sh ${installScript} /out/${packageName}-*.tgz ${imagePrefix}`,
    ]);
  });

  it('runs the installed command as an unprivileged user over a /data volume, with a healthcheck on /api/version', () => {
    assert.equal(one(final, 'COPY'), `--from=build ${imagePrefix} ${imagePrefix}`);
    const user = one(final, 'USER');
    assert.ok(!['root', '0', '0:0'].includes(user), `USER ${user} is not root`);
    assert.match(one(final, 'RUN'), new RegExp(`useradd --system .* ${user}\\b.*chown ${user}:${user} /data`));
    assert.equal(one(final, 'VOLUME'), '/data');
    assert.equal(one(final, 'ENTRYPOINT'), JSON.stringify([installedCommand(imagePrefix)]));
    assert.equal(one(final, 'CMD'), JSON.stringify(['server']));
    // komari-healthcheck asks GET /api/version (package-install.test.ts runs it against a server)
    assert.match(one(final, 'HEALTHCHECK'), new RegExp(`^--interval=\\S+ .*CMD \\["${installedCommand(imagePrefix, commands.healthcheck)}"\\]$`));
    const env = dockerEnv(final);
    assert.equal(env.KOMARI_DATA_DIR, '/data');
    assert.equal(env.KOMARI_LISTEN, '0.0.0.0:25774');
    assert.equal(one(final, 'EXPOSE'), '25774');
    for (const [k, v] of Object.entries(serverMallocEnv)) assert.equal(env[k], v, k);
  });
});

describe('deploy/compose.yaml', () => {
  interface Compose {
    services: Record<string, Record<string, unknown> & { healthcheck?: { test: string[] }; environment?: Record<string, string> }>;
    volumes: Record<string, unknown>;
  }
  const compose = parseYaml(read('deploy/compose.yaml')) as Compose;

  it('builds the server from deploy/Dockerfile with its data in a named volume, and the same healthcheck', () => {
    const komari = compose.services.komari!;
    assert.deepEqual(komari.build, { context: '..', dockerfile: 'deploy/Dockerfile' });
    assert.deepEqual(komari.volumes, ['komari-data:/data']);
    assert.ok('komari-data' in compose.volumes);
    assert.deepEqual(komari.ports, ['25774:25774']);
    assert.deepEqual(komari.healthcheck?.test, ['CMD', installedCommand(imagePrefix, commands.healthcheck)]);
    assert.equal(komari.environment?.KOMARI_DATA_DIR, '/data');
    // SQLite in the volume unless KOMARI_DB is set, never an empty KOMARI_DB (the server refuses one)
    assert.equal(komari.environment?.KOMARI_DB, '${KOMARI_DB:-/data/komari.db}');
  });

  it('PostgreSQL is optional: a service under the postgres profile, with its own volume', () => {
    const pg = compose.services.postgres!;
    assert.deepEqual(pg.profiles, ['postgres']);
    assert.match(String(pg.image), /^postgres:\d+/);
    assert.ok('postgres-data' in compose.volumes);
    assert.equal(compose.services.komari!.profiles, undefined, 'the server starts without a profile');
    assert.doesNotMatch(read('deploy/compose.yaml'), /POSTGRES_PASSWORD: [^$\s]/, 'no password in the file');
  });
});

describe('deploy/systemd/komari.service', () => {
  const unit = read('deploy/systemd/komari.service');
  const service = unitSection(unit, 'Service');
  const value = (key: string) => service.filter(([k]) => k === key).map(([, v]) => v);

  it("runs the installed command at the README's path as a dedicated user", () => {
    assert.deepEqual(value('ExecStart'), [`${installedCommand(defaultPrefix)} server`]);
    assert.ok(read('README.md').includes(`\`${installedCommand(defaultPrefix)}\``), 'the README names the same path');
    assert.deepEqual(value('User'), ['komari']);
    assert.deepEqual(value('Group'), ['komari']);
  });

  it('keeps its data in /var/lib/komari, the only path it may write, restarts on failure, and is hardened', () => {
    const env = value('Environment');
    assert.ok(env.includes('KOMARI_DATA_DIR=/var/lib/komari'));
    for (const [k, v] of Object.entries(serverMallocEnv)) assert.ok(env.includes(`${k}=${v}`), k);
    assert.deepEqual(value('StateDirectory'), ['komari']);
    assert.deepEqual(value('ReadWritePaths'), ['/var/lib/komari']);
    assert.deepEqual(value('ProtectSystem'), ['strict']);
    assert.deepEqual(value('NoNewPrivileges'), ['yes']);
    assert.deepEqual(value('Restart'), ['on-failure']);
    assert.deepEqual(unitSection(unit, 'Install'), [['WantedBy', 'multi-user.target']]);
  });
});

describe('deploy/package scripts', () => {
  it('install.sh refuses a wrong call with a usage line, and a missing package file by name', async () => {
    const script = join(repoRoot, installScript);
    const none = await runCommand(['sh', script]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^usage: sh deploy\/package\/install\.sh TARBALL PREFIX/);
    const missing = await runCommand(['sh', script, '/nonexistent/../komari-ts.tgz', '/tmp/x']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such package file: \/nonexistent\/\.\.\/komari-ts\.tgz/);
  });

  it("komari-healthcheck asks the server on KOMARI_LISTEN's port, on loopback when it listens everywhere", () => {
    assert.equal(localUrl('0.0.0.0:25774'), 'http://127.0.0.1:25774');
    assert.equal(localUrl(':8080'), 'http://127.0.0.1:8080');
    assert.equal(localUrl('[::]:25774'), 'http://[::1]:25774');
    assert.equal(localUrl('[::1]:9'), 'http://[::1]:9');
    assert.equal(localUrl('10.0.0.5:25774'), 'http://10.0.0.5:25774');
  });
});
