import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import { runCli } from './helpers/cli.ts';
import { extractSharedFixture, sharedFixtureDir, sharedFixture as fx } from './helpers/komari-fixture.ts';
import { marker, patchNames, zipOf } from './helpers/restore.ts';

// `komari import <folder-or-zip> [--merge] [--json]` as a real child process over a real database file.

describe('komari import', () => {
  let source: Awaited<ReturnType<typeof extractSharedFixture>>;
  let dir: string;
  before(async () => {
    source = await extractSharedFixture();
    dir = mkdtempSync(join(tmpdir(), 'komari-import-cli-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(source.dir, { recursive: true, force: true });
  });

  it('imports a Komari data folder and prints the report as a table, exit 0', async () => {
    const db = join(dir, 'a.db');
    const res = await runCli(['import', source.dir, '-d', db]);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /^Imported from Komari 1\.4\.3 \(fresh\) in \d+ ms$/m);
    assert.match(res.stdout, /^nodes\s+3\s+0$/m);
    assert.match(res.stdout, /^pingTasks\s+2\s+0$/m);
    assert.match(res.stdout, /^ {2}sessions: 2 login session\(s\) are not carried over/m);
    const store = openSqliteStore(db);
    try {
      assert.deepEqual((await store.nodes.list()).map((n) => n.token), fx.nodes.map((n: { token: string }) => n.token));
    } finally {
      await store.close();
    }
    const again = await runCli(['import', source.dir, '-d', db, '--json']);
    assert.equal(again.code, 0, again.stderr);
    const report = JSON.parse(again.stdout);
    assert.deepEqual(report.imported, {});
    assert.equal(report.alreadyPresent.nodes, 3);
  });

  it('refuses a server with nodes of its own (exit 1, the reason on stderr), and merges with --merge', async () => {
    const db = join(dir, 'b.db');
    const store = openSqliteStore(db);
    await store.nodes.create({
      uuid: 'own-node', token: 'OwnTokenOwnTokenOwn001', name: 'own', cpu_name: '', virtualization: '', arch: '', cpu_cores: 0,
      cpu_physical_cores: 0, os: '', kernel_version: '', gpu_name: '', ipv4: '', ipv6: '', region: '', remark: '', public_remark: '',
      mem_total: 0, swap_total: 0, disk_total: 0, version: '', weight: 0, price: 0, billing_cycle: 0, auto_renewal: false, currency: '$',
      expired_at: null, group: '', tags: '', hidden: false, traffic_limit: 0, traffic_limit_type: 'max', created_at: 1, updated_at: 1,
    });
    await store.close();
    const refused = await runCli(['import', source.dir, '-d', db]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /refusing to import into a server that already has nodes \(1 not from this Komari database\) unless asked to merge/);
    const merged = await runCli(['import', source.dir, '-d', db, '--merge', '--json']);
    assert.equal(merged.code, 0, merged.stderr);
    assert.deepEqual([JSON.parse(merged.stdout).mode, JSON.parse(merged.stdout).imported.nodes], ['merge', 3]);
  });

  it('a path that is no Komari folder is an error, exit 1', async () => {
    const res = await runCli(['import', dir, '-d', join(dir, 'c.db')]);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /holds no komari\.db: give a Komari data folder/);
  });

  it("imports Komari's backup zip as it is, leaving no unpacked copy behind", async () => {
    const work = mkdtempSync(join(tmpdir(), 'komari-import-zip-'));
    try {
      const db = join(work, 'z.db');
      const res = await runCli(['import', join(sharedFixtureDir, 'backup.zip'), '-d', db, '--json']);
      assert.equal(res.code, 0, res.stderr);
      assert.equal(JSON.parse(res.stdout).imported.nodes, 3);
      assert.deepEqual(readdirSync(work).filter((f) => f.startsWith('.import-')), []);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('refuses a zip with an entry escaping its folder, exit 1, nothing written outside', async () => {
    const work = mkdtempSync(join(tmpdir(), 'komari-import-slip-'));
    try {
      const zip = join(work, 'evil.zip');
      writeFileSync(zip, patchNames(await zipOf([marker(), { name: 'xx/evil.txt', data: 'x' }]), 'xx/evil.txt', '../evil.txt'));
      const res = await runCli(['import', zip, '-d', join(work, 'data', 'e.db')]);
      assert.equal(res.code, 1);
      assert.match(res.stderr, /invalid backup file: unsafe entry path/);
      assert.deepEqual(readdirSync(work).sort(), ['data', 'evil.zip']);
      assert.deepEqual(readdirSync(join(work, 'data')).filter((f) => !f.startsWith('e.db')), []);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
