import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadBootConfig } from '../src/config/boot-config.ts';
import { startServer } from '../src/main.ts';
import { runCli, spawnCliServer } from './helpers/cli.ts';
import { afterRestore, downloadBackup, uploadBackup } from './helpers/restore.ts';
import { startTestServer } from './helpers/server.ts';

const dirs: string[] = [];
function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'komari-lock-'));
  dirs.push(dir);
  return join(dir, 'komari.db');
}
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('one server per SQLite database', () => {
  it('a second server on the same file refuses to start and names the first; CLI commands still run beside it', async () => {
    const db = tempDb();
    const first = await spawnCliServer(db);
    try {
      const lock = JSON.parse(readFileSync(`${db}.lock`, 'utf8'));
      assert.equal(lock.pid, first.child.pid);
      assert.equal(lock.host, hostname());
      // a timeout kills a second server that started serving: its code is then null, not 1
      const second = await runCli(['server'], { KOMARI_DB: db, KOMARI_LISTEN: '127.0.0.1:0' }, 15_000);
      assert.equal(second.code, 1, second.stdout + second.stderr);
      assert.match(second.stderr, new RegExp(`another komari server \\(pid ${first.child.pid} on `));
      assert.match(second.stderr, /komari\.db\.lock/);
      assert.equal(JSON.parse(readFileSync(`${db}.lock`, 'utf8')).pid, first.child.pid, 'the refused start left the lock alone');

      const unlock = await runCli(['unlock'], { KOMARI_DB: db }, 15_000);
      assert.equal(unlock.code, 0, unlock.stderr);
      assert.ok((await fetch(`${first.url}/ping`)).ok);
    } finally {
      await first.stop();
    }
    assert.ok(!existsSync(`${db}.lock`), 'a stopped server removes its lock');
  });

  it('after a kill -9 the next server takes the stale lock over and says so', async () => {
    const db = tempDb();
    const first = await spawnCliServer(db);
    first.child.kill('SIGKILL');
    await first.stop();
    assert.ok(existsSync(`${db}.lock`), 'a killed server cannot remove its lock');
    const next = await spawnCliServer(db);
    try {
      assert.equal(JSON.parse(readFileSync(`${db}.lock`, 'utf8')).pid, next.child.pid);
      assert.match(next.stdout() + next.stderr(), new RegExp(`took over the lock of a server that is gone \\(pid ${first.child.pid}`));
    } finally {
      await next.stop();
    }
  });

  it('a lock naming this pid from an earlier life (same pid, other start time) is stale', async () => {
    const db = tempDb();
    writeFileSync(`${db}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), startedAt: '2020-01-01T00:00:00.000Z', startTicks: '1' }));
    const s = await startServer(loadBootConfig({ listen: '127.0.0.1:0', db }, { KOMARI_LOG_LEVEL: 'silent' }), () => {});
    await s.stop();
    assert.ok(!existsSync(`${db}.lock`));
  });

  it('a garbled lock file (a crash mid-write) is stale', async () => {
    const db = tempDb();
    writeFileSync(`${db}.lock`, '{"pid": 12');
    const s = await startServer(loadBootConfig({ listen: '127.0.0.1:0', db }, { KOMARI_LOG_LEVEL: 'silent' }), () => {});
    await s.stop();
  });

  it("another host's lock is never taken over: it cannot be checked from here", async () => {
    const db = tempDb();
    writeFileSync(`${db}.lock`, JSON.stringify({ pid: 4242, host: 'elsewhere.example', startedAt: '2026-01-01T00:00:00.000Z' }));
    await assert.rejects(
      startServer(loadBootConfig({ listen: '127.0.0.1:0', db }, { KOMARI_LOG_LEVEL: 'silent' }), () => {}),
      /pid 4242 on elsewhere\.example/,
    );
    assert.equal(JSON.parse(readFileSync(`${db}.lock`, 'utf8')).host, 'elsewhere.example');
  });

  it('the lock survives an in-process restart (a backup restore) and a second in-process server is refused', async () => {
    const s = await startTestServer();
    try {
      const cookie = await s.login();
      const backup = await downloadBackup(s, cookie);
      assert.equal((await uploadBackup(s, cookie, backup)).status, 200);
      const { status } = await afterRestore(s);
      assert.equal(status.last.ok, true, JSON.stringify(status));
      assert.equal(JSON.parse(readFileSync(`${s.dbPath}.lock`, 'utf8')).pid, process.pid);
      await assert.rejects(startTestServer({ dir: s.dir }), /another komari server \(pid \d+/);
    } finally {
      await s.dispose();
    }
  });

  it(':memory: databases take no lock', async () => {
    const s = await startServer(loadBootConfig({ listen: '127.0.0.1:0', db: ':memory:' }, { KOMARI_LOG_LEVEL: 'silent' }), () => {});
    const t = await startServer(loadBootConfig({ listen: '127.0.0.1:0', db: ':memory:' }, { KOMARI_LOG_LEVEL: 'silent' }), () => {});
    await Promise.all([s.stop(), t.stop()]);
    assert.ok(!existsSync(':memory:.lock'));
  });
});
