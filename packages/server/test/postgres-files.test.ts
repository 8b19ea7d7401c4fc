import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type pg from 'pg';
import { pgClipboard } from '../src/clipboard/store/postgres.ts';
import { pgExecTasks } from '../src/exec/postgres-store.ts';
import { StoreError } from '../src/store/errors.ts';
import { pgFiles, snapshotBatchRows } from '../src/store/postgres/files.ts';
import { migratePg } from '../src/store/postgres/migrations.ts';
import { pgNodes } from '../src/store/postgres/nodes.ts';
import { pgOidcProviders } from '../src/store/postgres/oidc-providers.ts';
import { pgSettings } from '../src/store/postgres/settings.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import { freshPgSchema, pgSkipReason, testPgUrl } from './helpers/postgres.ts';
import { nodeRow } from './store-conformance/nodes.ts';

async function withSchema(fn: (pool: pg.Pool, dir: string) => Promise<void>): Promise<void> {
  const { pool, drop } = await freshPgSchema();
  const dir = mkdtempSync(join(tmpdir(), 'komari-pgfiles-'));
  try {
    await migratePg(pool);
    await fn(pool, dir);
  } finally {
    await drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Rows of about a kilobyte of hex each: under the TOAST threshold, so they stay in the table's own
 * pages uncompressed, and the table spans many pages.
 */
async function fillResults(pool: pg.Pool, n: number): Promise<void> {
  await pool.query(
    `INSERT INTO task_results (task_id, client, result, created_at)
     SELECT 't', 'c' || g, (SELECT string_agg(md5(g::text || '-' || i::text), '') FROM generate_series(1, 32) i), g FROM generate_series(1, $1) g`,
    [n],
  );
}

describe('PostgreSQL DatabaseFiles', { skip: testPgUrl ? undefined : pgSkipReason }, () => {
  it("size counts the store's schema only: it grows with its rows, not with another schema's", () =>
    withSchema(async (pool) =>
      withSchema(async (other) => {
        const files = pgFiles(pool);
        const empty = await files.size();
        assert.ok(empty > 0, 'the migrated tables and their indexes take pages');
        await fillResults(other, 2000);
        assert.equal(await files.size(), empty);
        await fillResults(pool, 2000);
        assert.ok((await files.size()) > empty + 2000 * 1024);
      }),
    ));

  it('vacuum gives back the pages of deleted rows (the size falls) and analyzes the tables', () =>
    withSchema(async (pool) => {
      const files = pgFiles(pool);
      await fillResults(pool, 3000);
      const full = await files.size();
      await pool.query('DELETE FROM task_results');
      // VACUUM frees a dead row only once no open transaction anywhere in the cluster may still see
      // it; other tests' transactions run beside this one, so it is asked again until they end.
      let size = full;
      for (let attempt = 0; attempt < 50 && size >= full / 2; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, 100));
        await files.vacuum();
        size = await files.size();
      }
      assert.ok(size < full / 2, 'trailing empty pages are truncated');
      const { rows } = await pool.query<{ n: string }>(
        "SELECT count(*)::text AS n FROM pg_stat_user_tables WHERE schemaname = current_schema() AND relname = 'task_results' AND last_analyze IS NULL AND last_autoanalyze IS NULL",
      );
      assert.equal(rows[0]?.n, '0');
    }));

  it('snapshotTo writes a SQLite file with SQLite’s schema that a SQLite store reads back whole', () =>
    withSchema(async (pool, dir) => {
      const nodes = pgNodes(pool);
      await nodes.create(nodeRow('zz', { weight: 1, hidden: true, price: 9.99, expired_at: 2 ** 52 + 3 }));
      await nodes.create(nodeRow('aa', { weight: 1 }));
      await pgSettings(pool).setMany({ sitename: '服务器 ✓', nested: { a: [1, null] } });
      await pgOidcProviders(pool).set({ name: 'github', addition: '{"client_id":"x"}' });
      await pgClipboard(pool).create({ text: 'echo hi', name: 'n', weight: 0, remark: '' }, 7, 10);
      const exec = pgExecTasks(pool);
      // More rows than one batch, so the copy crosses batch boundaries.
      const clients = Array.from({ length: snapshotBatchRows * 2 + 5 }, (_, i) => `c${i}`);
      await exec.create(
        { taskId: 't1', clients, command: 'uptime', createdAt: 5 },
        clients.map((client) => ({ taskId: 't1', client, result: '', exitCode: null, finishedAt: null, createdAt: 5 })),
      );
      await exec.finish('t1', 'c7', 'ok', 0, 6);

      const path = join(dir, 'snap.db');
      await pgFiles(pool).snapshotTo(path);
      const copy = openSqliteStore(path);
      try {
        assert.deepEqual(await copy.nodes.list(), await nodes.list());
        assert.deepEqual(await copy.settings.all(), await pgSettings(pool).all());
        assert.deepEqual(await copy.oidcProviders.list(), await pgOidcProviders(pool).list());
        assert.deepEqual(await copy.clipboard.list(), await pgClipboard(pool).list());
        assert.deepEqual(await copy.execTasks.list(), await exec.list());
        assert.deepEqual(await copy.execTasks.results(), await exec.results());
        assert.equal((await copy.execTasks.result('t1', 'c7'))?.result, 'ok');
      } finally {
        await copy.close();
      }
    }));

  it('snapshotTo refuses a path that exists and leaves the file as it was', () =>
    withSchema(async (pool, dir) => {
      const path = join(dir, 'taken.db');
      writeFileSync(path, 'not mine');
      await assert.rejects(pgFiles(pool).snapshotTo(path), (e: unknown) => e instanceof StoreError && /exists/.test(e.message));
      assert.equal(readFileSync(path, 'utf8'), 'not mine');
    }));

  it('a table SQLite has no place for fails the snapshot clearly and leaves no file behind', () =>
    withSchema(async (pool, dir) => {
      await pool.query('CREATE TABLE stray (x BIGINT)');
      const path = join(dir, 'snap.db');
      await assert.rejects(pgFiles(pool).snapshotTo(path), (e: unknown) => e instanceof StoreError && /stray/.test(e.message));
      assert.equal(existsSync(path), false);
    }));
});
