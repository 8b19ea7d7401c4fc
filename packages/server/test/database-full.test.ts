import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { addNode, eventually, feedOf, sampleReport } from './helpers/agent-common.ts';
import { LogCapture } from './helpers/log-capture.ts';
import { http, rpc, startTestServer, type TestServer } from './helpers/server.ts';

/**
 * A real full disk: the server's data directory is a 16 MiB tmpfs, and a filler file takes every
 * byte left, so SQLite gets ENOSPC from the kernel and reports SQLITE_FULL, as on a full host.
 * Mounting needs root (CI runs as root); elsewhere the suite says so and is skipped.
 */
function mountTmpfs(dir: string): string | undefined {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', dir], { stdio: 'pipe' });
    return undefined;
  } catch (err) {
    return `cannot mount a tmpfs (needs root): ${(err as Error).message.split('\n')[0]}`;
  }
}

/** Writes until the filesystem has no byte left: big chunks, then pages, then single bytes. */
function fillDisk(path: string): void {
  const fd = openSync(path, 'w');
  try {
    for (const size of [1 << 20, 4096, 1]) {
      const chunk = Buffer.alloc(size, 1);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      }
    }
  } finally {
    closeSync(fd);
  }
}

const full = { status: 'error', message: 'database is full' };
const notMounted = (() => {
  const probe = mkdtempSync(join(tmpdir(), 'komari-full-probe-'));
  const why = mountTmpfs(probe);
  if (!why) execFileSync('umount', [probe]);
  rmSync(probe, { recursive: true, force: true });
  return why;
})();

describe('a full disk under a running server', { skip: notMounted }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'komari-full-'));
  const filler = join(dir, 'filler');
  const log = new LogCapture();
  let s: TestServer;
  let cookie: string;
  let node: { uuid: string; token: string };

  before(async () => {
    assert.equal(mountTmpfs(dir), undefined);
    s = await startTestServer({ dir, env: { KOMARI_LOG_LEVEL: 'info' }, logStream: log });
    cookie = await s.login();
    node = await addNode(s, cookie, 'on-a-full-disk');
    fillDisk(filler);
  });
  after(async () => {
    rmSync(filler, { force: true });
    await s?.stop();
    execFileSync('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a login answers 503 "database is full", never 500, and the log names the SQLite error, not the rollback', async () => {
    // The WAL may still have room for a write or two: log in until the disk refuses.
    let res = await http(s.url, '/api/login', { method: 'POST', body: { username: s.adminUsername, password: s.adminPassword } });
    for (let i = 0; i < 200 && res.status === 200; i++) {
      res = await http(s.url, '/api/login', { method: 'POST', body: { username: s.adminUsername, password: s.adminPassword } });
    }
    assert.deepEqual([res.status, res.json], [503, full]);
    assert.ok(log.text.includes('database or disk is full'), 'the real SQLite error is logged');
    assert.ok(!log.text.includes('cannot rollback'), 'no rollback error hides it');
  });

  it('admin writes answer 503 over REST and -32051 "database is full" over JSON-RPC', async () => {
    const add = await http(s.url, '/api/admin/client/add', { method: 'POST', cookie, body: { name: 'refused' } });
    assert.deepEqual([add.status, add.json], [503, full]);
    const viaRpc = await rpc(s.url, 'admin:addClient', { name: 'refused' }, { cookie });
    assert.deepEqual(viaRpc.error, { code: -32051, message: 'database is full' });
    const names = (await http(s.url, '/api/nodes')).json.data.map((n: { name: string }) => n.name);
    assert.deepEqual(names, ['on-a-full-disk']);
  });

  it('reads and live data keep working: /api/nodes, /api/public, /api/recent and the /api/clients feed', async () => {
    const post = await http(s.url, `/api/clients/report?token=${node.token}`, { method: 'POST', body: sampleReport({ uptime: 4242 }) });
    assert.deepEqual([post.status, post.json], [200, { status: 'success' }]);
    assert.equal((await http(s.url, '/api/nodes', { cookie })).status, 200);
    assert.equal((await http(s.url, '/api/public')).status, 200);
    const recent = await http(s.url, `/api/recent/${node.uuid}`);
    assert.equal(recent.status, 200, recent.text);
    assert.equal((await feedOf(s.url)).data[node.uuid].uptime, 4242);
  });

  it('the history flush that fails is logged once with the SQLite error, and its rows are written when space returns', async () => {
    await eventually(() => log.matching('history flush failed').length > 0, 10_000);
    const [failed] = log.matching('history flush failed');
    assert.match(JSON.stringify(failed), /database or disk is full/);
    rmSync(filler);
    await eventually(() => log.matching('history flush works again').length > 0, 10_000);
    assert.equal(log.matching('history flush failed').length, 1);
    // The node reported only while the disk was full: every stored row of it was kept and retried.
    const db = new DatabaseSync(s.dbPath, { readOnly: true });
    try {
      assert.ok(Number(db.prepare('SELECT count(*) AS n FROM history_buckets').get()!.n) > 0);
    } finally {
      db.close();
    }
  });

  it('once space returns, logins and admin writes work again without a restart', async () => {
    rmSync(filler, { force: true });
    assert.equal((await http(s.url, '/api/login', { method: 'POST', body: { username: s.adminUsername, password: s.adminPassword } })).status, 200);
    const add = await http(s.url, '/api/admin/client/add', { method: 'POST', cookie, body: { name: 'after-space-returned' } });
    assert.equal(add.status, 200, add.text);
  });
});
