import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, describe, it } from 'node:test';
import { resolveLimits } from '../src/config/limits.ts';
import { importKomari } from '../src/import/komari/import-komari.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import { sample, sampleContent, writeKomariDb } from './fixtures/komari-schemas/generate.ts';
import { ManualClock } from './helpers/clock.ts';

/*
 * What a Komari import holds in memory. A restore of a Komari backup runs the import inside the
 * server, so a hostile komari.db must not be able to make it hold the database: rows are read one
 * at a time, and what is held together (one exec task with its results, the settings) is bounded.
 */

const clock = new ManualClock('2026-12-07T06:00:00Z');
const base = sampleContent('1.4.3');

describe('Komari import at scale and against memory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'komari-scale-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('200 MB of audit log streams through: peak memory grows far less than the log', async () => {
    const source = join(dir, 'big.db');
    writeKomariDb(source, '1.4.3', { users: base.users, clients: base.clients, configs: base.configs });
    // Made inside SQLite, so none of it passes through this process's memory first.
    const rows = 50_000;
    const db = new DatabaseSync(source);
    db.exec(`INSERT INTO logs (ip, uuid, message, msg_type, time)
      WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ${rows})
      SELECT '203.0.113.9', '', 'line ' || i || ' ' || hex(zeroblob(2000)), 'info',
        strftime('%Y-%m-%d %H:%M:%S', 1767225600 + i, 'unixepoch') || '.0000000+00:00' FROM c`);
    db.close();
    const store = openSqliteStore(join(dir, 'target-big.db'));
    try {
      const rssBefore = process.resourceUsage().maxRSS * 1024;
      const t0 = performance.now();
      const report = await importKomari({ komariDb: source }, store, { clock });
      const ms = performance.now() - t0;
      const grew = process.resourceUsage().maxRSS * 1024 - rssBefore;
      process.stdout.write(`# figures: ${rows} audit rows (${((rows * 4010) / 1e6).toFixed(0)} MB of text) imported in ${ms.toFixed(0)} ms; peak RSS grew ${(grew / 1e6).toFixed(0)} MB\n`);
      assert.equal(report.imported.auditLog, rows + 0);
      assert.ok(grew < 100e6, `peak RSS grew ${grew} bytes importing ${rows * 4010} bytes of log`);
    } finally {
      await store.close();
    }
  });

  it("one exec task whose results together pass maxExecTaskResultChars is left out with the reason; the others come over", async () => {
    const source = join(dir, 'exec.db');
    const result = 'r'.repeat(600);
    writeKomariDb(source, '1.4.3', {
      ...base,
      tables: {
        ...base.tables,
        tasks: [
          { task_id: 'BigTask', clients: Buffer.from(JSON.stringify([sample.nodeA.uuid, sample.nodeB.uuid])), command: 'cat big' },
          { task_id: 'SmallTask', clients: Buffer.from(JSON.stringify([sample.nodeA.uuid])), command: 'true' },
        ],
        task_results: [
          { task_id: 'BigTask', client: sample.nodeA.uuid, result, exit_code: 0 },
          { task_id: 'BigTask', client: sample.nodeB.uuid, result, exit_code: 0 },
          { task_id: 'SmallTask', client: sample.nodeA.uuid, result: 'ok', exit_code: 0 },
        ],
      },
    });
    const store = openSqliteStore(join(dir, 'target-exec.db'));
    try {
      const limits = resolveLimits({ komariImport: { maxExecTaskResultChars: 1000 } });
      const report = await importKomari({ komariDb: source }, store, { clock, limits });
      assert.equal(await store.execTasks.get('BigTask'), undefined);
      assert.ok(await store.execTasks.get('SmallTask'));
      assert.deepEqual(report.skipped.filter((s) => s.kind === 'execTasks'), [{ kind: 'execTasks', id: 'BigTask', reason: 'its results together are over 1000 characters: left the task out' }]);
    } finally {
      await store.close();
    }
  });

  it('settings: at most maxUnknownSettings unknown keys are kept, and no value over maxSettingValueChars', async () => {
    const source = join(dir, 'configs.db');
    const unknown = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`plugin_key_${i}`, i]));
    writeKomariDb(source, '1.4.3', { ...base, configs: { ...base.configs, ...unknown, custom_head: 'h'.repeat(5000) } });
    const store = openSqliteStore(join(dir, 'target-configs.db'));
    try {
      const limits = resolveLimits({ komariImport: { maxUnknownSettings: 3, maxSettingValueChars: 4096 } });
      const report = await importKomari({ komariDb: source }, store, { clock, limits });
      const stored = await store.settings.all();
      // Komari's own unknown keys (system_version among them) count toward the 3 too.
      const kept = Object.keys(stored).filter((k) => k.startsWith('plugin_key_')).length;
      assert.ok(kept <= 3);
      assert.notEqual(stored.custom_head, 'h'.repeat(5000));
      const reasons = report.skipped.filter((s) => s.kind === 'settings').map((s) => `${s.id}: ${s.reason}`);
      assert.ok(reasons.includes('custom_head: its value is over 4096 characters'), reasons.join('\n'));
      const dropped = reasons.filter((r) => r.startsWith('plugin_key_') && r.endsWith('more than 3 keys komari-ts does not know: left this one out'));
      assert.equal(kept + dropped.length, 10);
    } finally {
      await store.close();
    }
  });
});
